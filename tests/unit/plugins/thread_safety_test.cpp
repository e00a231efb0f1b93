// A plugin declares whether one instance may be called from many threads at once; the host's proxy makes the
// calls to an instance that is not thread-safe take turns. tests/plugins/unsafe_agent.cpp counts the calls
// that overlap inside an instance.
#include "plugins/agent_plugin.hpp"
#include "plugins/plugin_catalog.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace p2j::plugins {
namespace {

using testing::kBrokenPluginDir;
using testing::kPluginDir;

std::unique_ptr<AgentPlugin> openAgent(const std::string& use) {
  static PluginCatalog catalog({kBrokenPluginDir, kPluginDir});
  const auto library = catalog.find(use);
  return std::make_unique<AgentPlugin>("agent", library, createInstance(*library, "agent", "{}"));
}

struct Counts {
  int calls = 0;
  int overlaps = 0;
};

Counts countsOf(const AgentPlugin& agent) {
  const HealthReport report = agent.health();
  EXPECT_EQ(report.state, sdk::HealthState::kOk) << report.detail;
  const auto detail = sdk::parseJson(report.detail);
  return {detail["calls"].GetInt(), detail["overlaps"].GetInt()};
}

// Eight threads calling generate() and health() on one instance, as request threads do.
void hammer(const AgentPlugin& agent) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        if ((t + i) % 3 == 0) {
          agent.health();
        } else {
          agent.generate("a prompt");
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

TEST(ThreadSafety, EachPluginSaysWhetherItIsThreadSafe) {
  EXPECT_FALSE(openAgent("unsafe-agent")->info().thread_safe);
  EXPECT_TRUE(openAgent("claiming-agent")->info().thread_safe);
  EXPECT_TRUE(openAgent("agent-rules")->info().thread_safe);
}

TEST(ThreadSafety, CallsToAnInstanceThatIsNotThreadSafeTakeTurns) {
  const auto agent = openAgent("unsafe-agent");
  hammer(*agent);
  const Counts counts = countsOf(*agent);
  EXPECT_EQ(counts.calls, 80 + 1);
  EXPECT_EQ(counts.overlaps, 0);
  EXPECT_EQ(agent->generate("after").features, std::vector<std::string>{"overlaps-0"});
}

// The detector works: the same code, declared thread-safe, is called concurrently and sees it.
TEST(ThreadSafety, AThreadSafeInstanceIsCalledConcurrently) {
  const auto agent = openAgent("claiming-agent");
  hammer(*agent);
  EXPECT_GT(countsOf(*agent).overlaps, 0);
}

}  // namespace
}  // namespace p2j::plugins
