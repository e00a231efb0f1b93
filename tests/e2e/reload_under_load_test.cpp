// Hot reload under load: wrk keeps POST /generate busy while the configuration file alternates between two
// versions 20 times (half by POST /admin/reload, half by SIGHUP). Not one request may fail, and each
// reload must be visible as soon as it is answered (or, for SIGHUP, shortly after).
#include "server_process.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <regex>
#include <thread>

namespace p2j::testing {
namespace {

constexpr const char* kAdminKey = "reload-test-admin-key-0123456789";

// Version A serves /generate; version B also serves /v2/generate on an agent instance of its own and
// limits /generate to a rate wrk never reaches. The storage, the key and the first agent are unchanged,
// so a reload keeps them.
std::string configVersion(bool b) {
  std::string yaml = R"(
server: { threads: 48 }
logging: { access_log: false }
plugins:
  rules: { use: agent-rules }
  db:    { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
  key:   { use: auth-apikey, config: { env_roles: [admin] } }
)";
  if (b) yaml += "  rules-v2: { use: agent-rules }\n";
  yaml += R"(
storage: db
endpoints:
  - { method: GET,  path: /livez,        action: livez }
  - { method: GET,  path: /readyz,       action: readyz }
  - { method: GET,  path: /metrics,      action: metrics }
  - { method: POST, path: /admin/reload, action: reload, auth: [key] }
)";
  yaml += b ? "  - { method: POST, path: /generate, action: generate, agent: rules, rate_limit: 1000000/second }\n"
              "  - { method: POST, path: /v2/generate, action: generate, agent: rules-v2 }\n"
            : "  - { method: POST, path: /generate, action: generate, agent: rules }\n";
  return yaml;
}

constexpr const char* kPrompt = R"({"prompt": "Design a 10-story office building with steel and glass, 40x30 m"})";

TEST(ReloadUnderLoad, TwentyReloadsDropNoRequest) {
  ServerProcess server(configVersion(false), {{"P2J_API_KEY", kAdminKey}});
  server.start();

  ProcessResult load;
  std::thread wrk([&] {
    load =
        runProcess({"/usr/bin/wrk", "-t2", "-c16", "-d16s", "-s", std::string(kSourceDir) + "/tests/load/generate.lua",
                    "http://127.0.0.1:" + std::to_string(server.port()) + "/generate"});
  });
  // What a load balancer sees throughout: the instance stays ready while configurations are swapped.
  std::atomic<bool> reloading{true};
  std::atomic<int> probes{0};
  std::atomic<int> not_ready{0};
  std::thread prober([&] {
    while (reloading) {
      ++probes;
      if (server.request("GET", "/readyz").status != 200) ++not_ready;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::this_thread::sleep_for(std::chrono::seconds(2));  // wrk is connected and busy

  for (int i = 1; i <= 20; ++i) {
    const bool b = i % 2 == 1;
    server.dir().write("p2j.yaml", configVersion(b));
    if (i % 4 < 2) {
      const auto answer = server.request("POST", "/admin/reload", "", {{"X-API-Key", kAdminKey}});
      ASSERT_EQ(answer.status, 200) << "reload " << i << ": " << answer.body;
      const auto body = sdk::parseJson(answer.body);
      EXPECT_TRUE(body["success"].GetBool());
      // The storage and the unchanged instances are kept; the second agent comes and goes.
      const std::string kept = sdk::toJsonText(body["plugins"]["kept"]);
      EXPECT_NE(kept.find("\"db\""), std::string::npos) << answer.body;
      EXPECT_NE(kept.find("\"rules\""), std::string::npos) << answer.body;
      EXPECT_NE(sdk::toJsonText(body["plugins"][b ? "created" : "removed"]).find("\"rules-v2\""), std::string::npos)
          << answer.body;
    } else {
      ASSERT_EQ(::kill(server.pid(), SIGHUP), 0);
    }
    const int wanted = b ? 200 : 404;
    int status = 0;
    for (int attempt = 0; attempt < 200 && status != wanted; ++attempt) {
      status = server.request("POST", "/v2/generate", kPrompt).status;
      if (status != wanted) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(status, wanted) << "reload " << i << " (" << (i % 4 < 2 ? "POST /admin/reload" : "SIGHUP") << ")";
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  reloading = false;
  prober.join();
  wrk.join();
  EXPECT_GT(probes, 100);
  EXPECT_EQ(not_ready, 0) << "of " << probes << " /readyz probes during the reloads";

  std::smatch result;
  ASSERT_TRUE(std::regex_search(load.out, result, std::regex(R"(RESULT requests=(\d+) .* errors=(\d+))")))
      << load.out << load.err;
  std::cout << "wrk during 20 reloads: " << result[1] << " requests, " << result[2] << " errors\n";
  EXPECT_GT(std::stoi(result[1]), 100) << load.out;
  EXPECT_EQ(result[2], "0") << "failed requests (socket errors, timeouts or non-2xx): " << load.out;
  EXPECT_EQ(load.out.find("Non-2xx"), std::string::npos) << load.out;

  const std::string metrics = server.request("GET", "/metrics").body;
  EXPECT_NE(metrics.find("p2j_config_reloads_total{outcome=\"success\"} 20\n"), std::string::npos) << metrics;
  EXPECT_EQ(server.stop(), 0) << server.stderrText();
}

}  // namespace
}  // namespace p2j::testing
