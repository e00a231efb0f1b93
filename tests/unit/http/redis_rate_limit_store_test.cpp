// RedisRateLimitStore against real redis-server: it decides exactly as MemoryRateLimitStore, it is atomic
// across connections (so across processes), and it falls back or refuses as configured while Redis is away.
#include "http/redis_rate_limit_store.hpp"
#include "http/http_error.hpp"
#include "redis.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace p2j::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

config::RateLimitSpec limit(int64_t count, int64_t window_seconds) {
  return {count, window_seconds, std::to_string(count) + "/" + std::to_string(window_seconds) + "s"};
}

RedisRateLimitSettings settingsFor(const std::string& url, const std::string& prefix, bool fail_open = true) {
  RedisRateLimitSettings settings;
  settings.pool.address = redis::parseAddress(url);
  settings.pool.timeouts = {milliseconds(200), milliseconds(200)};
  settings.pool.size = 4;
  settings.pool.retry_interval = milliseconds(300);
  settings.key_prefix = prefix;
  settings.fail_open = fail_open;
  return settings;
}

// A time in the middle of a minute, plus an offset in seconds.
system_clock::time_point at(double offset_seconds) {
  const auto base = system_clock::time_point(seconds(1'700'000'000 / 60 * 60));
  return base + std::chrono::duration_cast<system_clock::duration>(std::chrono::duration<double>(offset_seconds));
}

void expectSameDecision(const RateDecision& memory, const RateDecision& redis, const std::string& where) {
  EXPECT_EQ(memory.allowed, redis.allowed) << where;
  EXPECT_EQ(memory.limit, redis.limit) << where;
  EXPECT_EQ(memory.remaining, redis.remaining) << where;
  EXPECT_EQ(memory.reset_seconds, redis.reset_seconds) << where;
  EXPECT_EQ(memory.retry_after_seconds, redis.retry_after_seconds) << where;
}

// On the Redis scripts/test.sh starts, each test under a key prefix of its own.
class RedisRateLimitStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { std::signal(SIGPIPE, SIG_IGN); }
  void SetUp() override { P2J_REQUIRE_REDIS(); }
  std::string url() const { return *testing::testRedisUrl(); }
};

class RedisRateLimitConformanceTest : public RedisRateLimitStoreTest, public ::testing::WithParamInterface<bool> {};

// The same hits, at the same times, through both stores: every decision and header value agrees. The
// times cross window boundaries, refuse, and (sliding) let the carried share of a window decay.
TEST_P(RedisRateLimitConformanceTest, DecidesExactlyAsTheMemoryStore) {
  const bool sliding = GetParam();
  MemoryRateLimitStore memory(sliding);
  RedisRateLimitStore redis(settingsFor(url(), testing::uniqueRedisPrefix("conformance")), sliding);
  const config::RateLimitSpec spec = limit(5, 10);
  const std::vector<std::pair<std::string, double>> hits = {
      {"a", 0.1},  {"a", 0.2},  {"a", 1.5},   {"b", 1.6},  {"a", 2.0},  {"a", 3.3},  {"a", 4.0},  {"a", 9.9},
      {"a", 10.0}, {"a", 10.5}, {"a", 11.0},  {"a", 12.7}, {"a", 13.1}, {"b", 13.2}, {"a", 14.4}, {"a", 15.0},
      {"a", 16.2}, {"a", 17.9}, {"a", 19.99}, {"a", 20.0}, {"a", 21.3}, {"a", 35.0}, {"a", 35.1}, {"a", 49.5},
  };
  int refused = 0;
  for (const auto& [key, offset] : hits) {
    const RateDecision expected = memory.hit(key, spec, at(offset));
    const RateDecision actual = redis.hit(key, spec, at(offset));
    expectSameDecision(expected, actual, key + " at +" + std::to_string(offset) + "s");
    refused += expected.allowed ? 0 : 1;
  }
  EXPECT_GT(refused, 2) << "the sequence must exercise refusals";
}

INSTANTIATE_TEST_SUITE_P(Windows, RedisRateLimitConformanceTest, ::testing::Values(false, true),
                         [](const auto& instantiation) { return instantiation.param ? "Sliding" : "Fixed"; });

TEST_F(RedisRateLimitStoreTest, IsAtomicAcrossConnections) {
  // Four stores with pools of their own are four processes as far as Redis can tell.
  const std::string prefix = testing::uniqueRedisPrefix("atomic");
  std::vector<std::unique_ptr<RedisRateLimitStore>> stores;
  for (int i = 0; i < 4; ++i)
    stores.push_back(std::make_unique<RedisRateLimitStore>(settingsFor(url(), prefix), false));
  const config::RateLimitSpec spec = limit(100, 3600);
  const auto now = system_clock::now();
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        if (stores[static_cast<size_t>(t % 4)]->hit("shared", spec, now).allowed) ++allowed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 100) << "320 hits against a limit of 100";
}

TEST_F(RedisRateLimitStoreTest, CountersExpireAfterTwoWindows) {
  const std::string prefix = testing::uniqueRedisPrefix("expiry");
  RedisRateLimitStore store(settingsFor(url(), prefix), true);
  const auto now = system_clock::now();
  ASSERT_TRUE(store.hit("k", limit(3, 60), now).allowed);
  redis::Connection connection(redis::parseAddress(url()), {});
  const std::string key =
      prefix +
      "{k}:60:" + std::to_string(windowStart(std::chrono::duration<double>(now.time_since_epoch()).count(), 60));
  EXPECT_EQ(connection.command({"GET", key}).text, "1");
  const int64_t ttl = connection.command({"TTL", key}).integer;
  EXPECT_GT(ttl, 60);
  EXPECT_LE(ttl, 121);
}

TEST_F(RedisRateLimitStoreTest, AFlushedScriptCacheIsRefilled) {
  RedisRateLimitStore store(settingsFor(url(), testing::uniqueRedisPrefix("noscript")), false);
  const auto now = system_clock::now();
  ASSERT_TRUE(store.hit("k", limit(2, 60), now).allowed);
  redis::Connection(redis::parseAddress(url()), {}).command({"SCRIPT", "FLUSH"});
  EXPECT_TRUE(store.hit("k", limit(2, 60), now).allowed);
  EXPECT_FALSE(store.hit("k", limit(2, 60), now).allowed) << "the count survived the flush of the script cache";
  EXPECT_EQ(redis::Connection(redis::parseAddress(url()), {})
                .command({"SCRIPT", "EXISTS", RedisRateLimitStore::scriptSha1()})
                .elements.at(0)
                .integer,
            1);
}

TEST_F(RedisRateLimitStoreTest, ReportsHealthyWhileRedisAnswers) {
  RedisRateLimitStore store(settingsFor(url(), testing::uniqueRedisPrefix("health")), false);
  const auto health = store.health();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->state, sdk::HealthState::kOk);
}

// Redis servers of their own: these tests take Redis away.
class RedisRateLimitOutageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { std::signal(SIGPIPE, SIG_IGN); }
  testing::RedisServer server_;
};

TEST_F(RedisRateLimitOutageTest, FailsOpenToCountersInTheProcessAndComesBack) {
  RedisRateLimitStore store(settingsFor(server_.url(), "p2j:rl:"), false);
  const config::RateLimitSpec spec = limit(3, 3600);
  const auto now = system_clock::now();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store.hit("k", spec, now).allowed);
  ASSERT_FALSE(store.hit("k", spec, now).allowed);

  server_.kill();
  const auto started = std::chrono::steady_clock::now();
  // The process's own counters start from nothing: three more, then refused again.
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(store.hit("k", spec, now).allowed) << i;
  EXPECT_FALSE(store.hit("k", spec, now).allowed);
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(500)) << "an unreachable Redis slowed hits";
  const auto degraded = store.health();
  ASSERT_TRUE(degraded);
  EXPECT_EQ(degraded->state, sdk::HealthState::kDegraded);
  EXPECT_NE(degraded->detail.find("counted per process"), std::string::npos) << degraded->detail;

  server_.start();  // empty: the counts before the outage are gone with the process
  std::this_thread::sleep_for(milliseconds(350));
  EXPECT_TRUE(store.hit("k", spec, now).allowed);
  redis::Connection connection(redis::parseAddress(server_.url()), {});
  EXPECT_EQ(connection.command({"KEYS", "p2j:rl:*"}).elements.size(), 1U) << "counting did not return to Redis";
  const auto healthy = store.health();
  ASSERT_TRUE(healthy);
  EXPECT_EQ(healthy->state, sdk::HealthState::kOk);
}

TEST_F(RedisRateLimitOutageTest, FailsClosedWith503) {
  RedisRateLimitStore store(settingsFor(server_.url(), "p2j:rl:", false), true);
  const auto now = system_clock::now();
  ASSERT_TRUE(store.hit("k", limit(3, 60), now).allowed);
  server_.kill();
  try {
    store.hit("k", limit(3, 60), now);
    FAIL() << "a hit was counted with Redis gone and on_failure: closed";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_EQ(e.code(), "service_unavailable");
    ASSERT_EQ(e.headers().size(), 1U);
    EXPECT_EQ(e.headers()[0].first, "Retry-After");
  }
  const auto health = store.health();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->state, sdk::HealthState::kDegraded);
  EXPECT_NE(health->detail.find("503"), std::string::npos) << health->detail;
}

TEST_F(RedisRateLimitOutageTest, APausedRedisCostsAtMostOneTimeout) {
  RedisRateLimitStore store(settingsFor(server_.url(), "p2j:rl:"), false);
  const auto now = system_clock::now();
  ASSERT_TRUE(store.hit("k", limit(100, 60), now).allowed);
  server_.pause();
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(store.hit("k", limit(100, 60), now).allowed);
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(600))
      << "fifty hits against a paused Redis waited more than one command timeout";
  server_.resume();
}

}  // namespace
}  // namespace p2j::http
