// RedisCache against real redis-server: bytes in and out with their TTL, shared between instances, and
// failing open to the in-process cache while Redis is away.
#include "redis_cache.hpp"
#include "redis.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace p2j::cache_redis {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

RedisCacheSettings settingsFor(const std::string& url, const std::string& prefix) {
  RedisCacheSettings settings;
  settings.pool.address = redis::parseAddress(url);
  settings.pool.timeouts = {milliseconds(200), milliseconds(200)};
  settings.pool.size = 4;
  settings.pool.retry_interval = milliseconds(300);
  settings.key_prefix = prefix;
  settings.max_value_bytes = 4096;
  settings.fallback_max_bytes = 1 << 20;
  return settings;
}

class RedisCacheTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { std::signal(SIGPIPE, SIG_IGN); }
  void SetUp() override { P2J_REQUIRE_REDIS(); }
  std::string url() const { return *testing::testRedisUrl(); }
};

TEST_F(RedisCacheTest, KeepsBytesUnderThePrefixWithTheirTtl) {
  const std::string prefix = testing::uniqueRedisPrefix("cache");
  RedisCache cache(settingsFor(url(), prefix));
  const std::string value("spec\0with\xff bytes", 16);
  cache.set("k", value, seconds(30));
  EXPECT_EQ(cache.get("k"), value);
  EXPECT_EQ(cache.get("other"), std::nullopt);

  redis::Connection redis(redis::parseAddress(url()), {});
  EXPECT_EQ(redis.command({"GET", prefix + "k"}).text, value) << "not stored under the prefix";
  const int64_t ttl = redis.command({"PTTL", prefix + "k"}).integer;
  EXPECT_GT(ttl, 29000);
  EXPECT_LE(ttl, 30000);

  const RedisCacheStats stats = cache.stats();
  EXPECT_EQ(stats.hits, 1U);
  EXPECT_EQ(stats.misses, 1U);
  EXPECT_EQ(stats.sets, 1U);
  EXPECT_TRUE(stats.connected);
  EXPECT_EQ(stats.fallback.entries, 0U) << "with Redis up nothing is kept in the process";
}

TEST_F(RedisCacheTest, EntriesExpire) {
  RedisCache cache(settingsFor(url(), testing::uniqueRedisPrefix("ttl")));
  cache.set("k", "v", milliseconds(50));
  std::this_thread::sleep_for(milliseconds(120));
  EXPECT_EQ(cache.get("k"), std::nullopt);
}

TEST_F(RedisCacheTest, InstancesWithTheSamePrefixShareEntries) {
  const std::string prefix = testing::uniqueRedisPrefix("shared");
  RedisCache one(settingsFor(url(), prefix));
  RedisCache two(settingsFor(url(), prefix));
  RedisCache elsewhere(settingsFor(url(), testing::uniqueRedisPrefix("elsewhere")));
  one.set("k", "from one", seconds(30));
  EXPECT_EQ(two.get("k"), "from one");
  EXPECT_EQ(elsewhere.get("k"), std::nullopt);
  EXPECT_TRUE(two.erase("k"));
  EXPECT_EQ(one.get("k"), std::nullopt);
  EXPECT_FALSE(one.erase("k"));
}

TEST_F(RedisCacheTest, RefusesValuesOverTheLimitAndDropsTheOldOne) {
  RedisCache cache(settingsFor(url(), testing::uniqueRedisPrefix("large")));
  cache.set("k", "small", seconds(30));
  EXPECT_THROW(cache.set("k", std::string(4097, 'x'), seconds(30)), std::invalid_argument);
  EXPECT_EQ(cache.get("k"), std::nullopt);
}

class RedisCacheOutageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { std::signal(SIGPIPE, SIG_IGN); }
  testing::RedisServer server_;
};

TEST_F(RedisCacheOutageTest, FailsOpenToTheProcessAndHandsBackToRedis) {
  RedisCache cache(settingsFor(server_.url(), "p2j:cache:"));
  cache.set("before", "in redis", seconds(60));
  server_.kill();

  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(cache.get("before"), std::nullopt) << "Redis is gone and the process never held it";
  cache.set("during", "in the process", seconds(60));
  EXPECT_EQ(cache.get("during"), "in the process");
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(500)) << "calls waited for a dead Redis";
  EXPECT_THROW(cache.erase("during"), redis::Unavailable) << "a delete Redis never saw is not a delete";
  EXPECT_FALSE(cache.reachable());
  RedisCacheStats stats = cache.stats();
  EXPECT_FALSE(stats.connected);
  EXPECT_FALSE(stats.problem.empty());
  EXPECT_GE(stats.redis_errors, 2U);

  cache.set("during", "in the process", seconds(60));
  server_.start();
  std::this_thread::sleep_for(milliseconds(350));
  EXPECT_TRUE(cache.reachable());
  // Redis is the cache again: what the outage kept in the process is dropped, not served beside it.
  EXPECT_EQ(cache.get("during"), std::nullopt);
  stats = cache.stats();
  EXPECT_TRUE(stats.connected);
  EXPECT_EQ(stats.fallback.entries, 0U);
  cache.set("after", "in redis", seconds(60));
  redis::Connection redis(redis::parseAddress(server_.url()), {});
  EXPECT_EQ(redis.command({"GET", "p2j:cache:after"}).text, "in redis");
}

}  // namespace
}  // namespace p2j::cache_redis
