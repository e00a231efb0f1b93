// The cache plugins through the real `p2j serve`: /generate caches the agent's spec (only where the YAML
// says so) and still commits a row per answer, /cache-stats reports real counters in the original's shape,
// a cache entry that is not a spec is a miss, and a cache that is down never fails a request.
#include "redis.hpp"
#include "redis_connection.hpp"
#include "server_process.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace p2j::testing {
namespace {

using std::chrono::milliseconds;

rapidjson::Document json(const HttpResult& result) { return sdk::parseJson(result.body); }

std::string config(const std::string& cache_instance) {
  return R"(plugins:
  rules: { use: agent-rules }
  criteria: { use: evaluator-criteria }
  reviewer: { use: feedback-heuristic }
  db: { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
  answers: )" +
         cache_instance +
         R"(
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules, cache: answers, cache_ttl_seconds: 60 }
  - { method: POST, path: /v2/generate, action: generate, agent: rules }
  - { method: GET, path: "/specs/{id}", action: get_spec }
  - { method: GET, path: /cache-stats, action: cache_stats, cache: answers }
  - { method: GET, path: /system-overview, action: system_overview, agent: rules, evaluator: criteria,
      feedback: reviewer, cache: answers }
  - { method: GET, path: /readyz, action: readyz }
  - { method: GET, path: /livez, action: livez }
)";
}

constexpr const char* kPrompt = R"({"prompt": "Design a 12-story office building with steel and glass, 40x30 m"})";

// The /cache-stats answer's "cache_stats", as a document of its own.
rapidjson::Document cacheStats(const ServerProcess& server) {
  const rapidjson::Document body = json(server.request("GET", "/cache-stats"));
  rapidjson::Document stats;
  stats.CopyFrom(body["cache_stats"], stats.GetAllocator());
  return stats;
}

TEST(CacheTest, GenerateAnswersFromTheCacheAndStillCommitsEveryRow) {
  ServerProcess server(config("{ use: cache-memory, config: { max_bytes: 1048576 } }"));
  server.start();
  const HttpResult first = server.request("POST", "/generate", kPrompt);
  const HttpResult second = server.request("POST", "/generate", kPrompt);
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(second.status, 200) << second.body;
  const rapidjson::Document a = json(first);
  const rapidjson::Document b = json(second);
  EXPECT_EQ(sdk::toJsonText(a["spec"]), sdk::toJsonText(b["spec"])) << "the cached spec differs from the agent's";
  const std::string first_id = a["spec_id"].GetString();
  const std::string second_id = b["spec_id"].GetString();
  EXPECT_NE(first_id, second_id) << "a cached answer must be a row of its own";
  for (const auto& id : {first_id, second_id}) {
    const HttpResult stored = server.request("GET", "/specs/" + id);
    EXPECT_EQ(stored.status, 200) << id << ": " << stored.body;
  }

  const rapidjson::Document stats_body = json(server.request("GET", "/cache-stats"));
  EXPECT_TRUE(stats_body["success"].GetBool());
  EXPECT_TRUE(stats_body["timestamp"].IsString());
  const rapidjson::Value& stats = stats_body["cache_stats"];
  EXPECT_STREQ(stats["cache_type"].GetString(), "Memory");
  EXPECT_EQ(stats["hits"].GetUint64(), 1U);
  EXPECT_EQ(stats["misses"].GetUint64(), 1U);
  EXPECT_EQ(stats["sets"].GetUint64(), 1U);
  EXPECT_DOUBLE_EQ(stats["hit_rate_percent"].GetDouble(), 50.0);
  EXPECT_EQ(stats["memory_cache_size"].GetUint64(), 1U);
  EXPECT_FALSE(stats["redis_connected"].GetBool());
  EXPECT_STREQ(stats["instance"].GetString(), "answers");
  EXPECT_GT(stats["bytes"].GetUint64(), 0U);
  EXPECT_EQ(stats["max_bytes"].GetUint64(), 1048576U);

  const rapidjson::Document overview = json(server.request("GET", "/system-overview"));
  EXPECT_EQ(sdk::toJsonText(overview["cache"]), sdk::toJsonText(stats)) << "/system-overview's cache is /cache-stats'";
}

TEST(CacheTest, OnlyEndpointsThatNameTheCacheUseIt) {
  ServerProcess server(config("{ use: cache-memory }"));
  server.start();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(server.request("POST", "/v2/generate", kPrompt).status, 200);
  const rapidjson::Document stats = cacheStats(server);
  EXPECT_EQ(stats["hits"].GetUint64() + stats["misses"].GetUint64() + stats["sets"].GetUint64(), 0U);
  EXPECT_DOUBLE_EQ(stats["hit_rate_percent"].GetDouble(), 0.0);
}

TEST(CacheTest, ARefusedPromptIsNotCached) {
  ServerProcess server(config("{ use: cache-memory }"));
  server.start();
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(server.request("POST", "/generate", R"({"prompt": "hello there, how are you"})").status, 422);
  }
  const rapidjson::Document stats = cacheStats(server);
  EXPECT_EQ(stats["sets"].GetUint64(), 0U);
  EXPECT_EQ(stats["misses"].GetUint64(), 2U);
}

class RedisCacheServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { std::signal(SIGPIPE, SIG_IGN); }
  std::string redisCache(const std::string& url) const {
    return "{ use: cache-redis, config: { address: \"" + url +
           "\", timeout_ms: 200, retry_interval_ms: 300, key_prefix: \"" + prefix_ + "\" } }";
  }
  std::string prefix_ = uniqueRedisPrefix("server");
};

TEST_F(RedisCacheServerTest, AnEntryThatIsNotASpecIsAMissAndIsReplaced) {
  P2J_REQUIRE_REDIS();
  ServerProcess server(config(redisCache(*testRedisUrl())));
  server.start();
  ASSERT_EQ(server.request("POST", "/generate", kPrompt).status, 200);
  redis::Connection redis(redis::parseAddress(*testRedisUrl()), {});
  const redis::Reply keys = redis.command({"KEYS", prefix_ + "*"});
  ASSERT_EQ(keys.elements.size(), 1U);
  const std::string key = keys.elements[0].text;
  EXPECT_NE(key.find("generate:rules:"), std::string::npos) << key;

  for (const char* poison : {"not json at all", R"({"design_type": 42})", "[]"}) {
    redis.command({"SET", key, poison});
    const HttpResult answer = server.request("POST", "/generate", kPrompt);
    ASSERT_EQ(answer.status, 200) << poison << ": " << answer.body;
    EXPECT_EQ(json(answer)["spec"]["stories"].GetInt(), 12) << poison;
    EXPECT_NE(redis.command({"GET", key}).text, poison) << "the bad entry was not replaced";
  }
  const rapidjson::Document stats = cacheStats(server);
  EXPECT_STREQ(stats["cache_type"].GetString(), "Redis");
  EXPECT_TRUE(stats["redis_connected"].GetBool());
}

TEST_F(RedisCacheServerTest, WithRedisDownGenerateGoesOnAndReadyzSaysDegraded) {
  RedisServer redis_server;
  ServerProcess server(config(redisCache(redis_server.url())));
  server.start();
  ASSERT_EQ(server.request("POST", "/generate", kPrompt).status, 200);
  redis_server.kill();
  for (int i = 0; i < 3; ++i) {
    const HttpResult answer = server.request("POST", "/generate", kPrompt);
    ASSERT_EQ(answer.status, 200) << answer.body;
  }
  const HttpResult readyz = server.request("GET", "/readyz");
  EXPECT_EQ(readyz.status, 200) << readyz.body;
  EXPECT_STREQ(json(readyz)["checks"]["answers"].GetString(), "degraded") << readyz.body;
  const rapidjson::Document down = cacheStats(server);
  EXPECT_FALSE(down["redis_connected"].GetBool());
  EXPECT_EQ(down["hits"].GetUint64(), 2U) << "the in-process cache did not stand in for Redis";

  redis_server.start();
  std::this_thread::sleep_for(milliseconds(350));
  const HttpResult ready = server.request("GET", "/readyz");
  EXPECT_STREQ(json(ready)["checks"]["answers"].GetString(), "ok") << ready.body;
  EXPECT_TRUE(cacheStats(server)["redis_connected"].GetBool());
}

TEST(CacheConfigTest, MistakesStopStartUp) {
  struct Case {
    std::string yaml;
    std::string message;
  };
  const std::string plugins = R"(plugins:
  rules: { use: agent-rules }
  db: { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
  answers: { use: cache-memory }
storage: db
endpoints:
)";
  const std::vector<Case> cases = {
      {plugins + "  - { method: POST, path: /generate, action: generate, agent: rules, cache: rules }\n",
       "cache: 'rules' is an agent plugin, but 'cache' needs a cache plugin"},
      {plugins + "  - { method: POST, path: /generate, action: generate, agent: rules, cache_ttl_seconds: 60 }\n",
       "cache_ttl_seconds needs 'cache:'"},
      {plugins + "  - { method: POST, path: /generate, action: generate, agent: rules, cache: answers, "
                 "cache_ttl_seconds: 0 }\n",
       "cache_ttl_seconds: '0' must be between 1 and"},
      {plugins + "  - { method: GET, path: /cache-stats, action: cache_stats }\n",
       "action 'cache_stats' needs 'cache:' naming a cache plugin instance"},
      {plugins + "  - { method: GET, path: /cache-stats, action: cache_stats, cache: nope }\n",
       "no plugin instance named 'nope'"},
  };
  for (const auto& [yaml, message] : cases) {
    TempDir dir;
    const auto file = dir.write("p2j.yaml", yaml);
    const ProcessResult result = runProcess({kP2jBinary, "check-config", file.string()});
    EXPECT_EQ(result.exit_code, 2) << yaml << result.err;
    EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
  }
}

}  // namespace
}  // namespace p2j::testing
