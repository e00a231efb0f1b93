#include "concurrency_limit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace p2j::agent_openai {
namespace {

TEST(ConcurrencyLimit, RefusesBeyondTheLimitAndFreesOnRelease) {
  ConcurrencyLimit limit(2);
  auto first = limit.tryAcquire();
  auto second = limit.tryAcquire();
  EXPECT_TRUE(first.acquired());
  EXPECT_TRUE(second.acquired());
  EXPECT_FALSE(limit.tryAcquire().acquired());
  EXPECT_EQ(limit.inFlight(), 2);
  {
    auto moved = std::move(first);
    EXPECT_TRUE(moved.acquired());
    EXPECT_FALSE(first.acquired()) << "a moved-from permit holds nothing";
  }
  EXPECT_EQ(limit.inFlight(), 1);
  EXPECT_TRUE(limit.tryAcquire().acquired());
  EXPECT_EQ(limit.inFlight(), 1) << "a refused or released permit leaves no slot taken";
}

TEST(ConcurrencyLimit, NeverMoreThanTheLimitAcrossThreads) {
  ConcurrencyLimit limit(3);
  std::atomic<int> peak{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        const auto permit = limit.tryAcquire();
        if (!permit.acquired()) continue;
        int seen = limit.inFlight();
        int previous = peak.load();
        while (seen > previous && !peak.compare_exchange_weak(previous, seen)) {
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(peak.load(), 3);
  EXPECT_EQ(limit.inFlight(), 0);
}

}  // namespace
}  // namespace p2j::agent_openai
