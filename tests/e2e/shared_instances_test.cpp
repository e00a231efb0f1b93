// Two `p2j serve` processes sharing one PostgreSQL and one Redis behind nginx (round-robin), all real
// servers from Debian's packages on 127.0.0.1: the rate limit is one budget whichever instance serves a
// call, a spec written through one instance is read through the other, and when Redis is killed the limits
// fail open or closed as configured, /readyz says degraded, nothing acknowledged is lost, and everything
// recovers when Redis is back.
#include "nginx.hpp"
#include "postgres.hpp"
#include "redis.hpp"
#include "redis_connection.hpp"
#include "server_process.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <thread>

namespace p2j::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string instanceConfig(const std::string& on_failure) {
  return R"(server: { threads: 16, trusted_proxies: ["127.0.0.1"] }
logging: { level: info }
plugins:
  rules: { use: agent-rules }
  db: { use: storage-postgres, config: { connection: "${P2J_DATABASE_URL}", auto_migrate: true,
        spool_path: "${P2J_DATA_DIR}/postgres-spool.db" } }
  answers: { use: cache-redis, config: { address: "${P2J_REDIS_URL}", timeout_ms: 200, retry_interval_ms: 300 } }
storage: db
rate_limits:
  store: redis
  redis: { address: "${P2J_REDIS_URL}", connect_timeout_ms: 200, timeout_ms: 200, retry_interval_ms: 300,
           on_failure: )" +
         on_failure + R"( }
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules, cache: answers, rate_limit: 20/minute }
  - { method: GET, path: /cache-stats, action: cache_stats, cache: answers }
  - { method: GET, path: "/specs/{id}", action: get_spec }
  - { method: GET, path: /health, action: health }
  - { method: GET, path: /livez, action: livez }
  - { method: GET, path: /readyz, action: readyz }
  - { method: GET, path: /metrics, action: metrics }
)";
}

std::string prompt(int i) {
  return R"({"prompt": "Design a )" + std::to_string(2 + i % 30) + R"(-story office building with steel and glass"})";
}

std::string member(const std::string& body, const char* key) {
  const rapidjson::Document document = sdk::parseJson(body);
  const auto* value = sdk::findMember(document, key);
  return value != nullptr && value->IsString() ? value->GetString() : "";
}

std::string readyzCheck(const HttpResult& readyz, const char* check) {
  const rapidjson::Document document = sdk::parseJson(readyz.body);
  const auto* checks = sdk::findMember(document, "checks");
  if (checks == nullptr) return "";
  const auto* value = sdk::findMember(*checks, check);
  return value != nullptr && value->IsString() ? value->GetString() : "";
}

// The value of one series in Prometheus text (`series` with its labels as serialized), -1 when it is absent.
double sample(const std::string& metrics, const std::string& series) {
  const size_t at = metrics.find("\n" + series + " ");
  return at == std::string::npos ? -1 : std::stod(metrics.substr(at + series.size() + 2));
}

int countLines(const std::string& text, const std::string& fragment) {
  int count = 0;
  for (size_t at = text.find(fragment); at != std::string::npos; at = text.find(fragment, at + 1)) ++count;
  return count;
}

// The access log lines of `server` holding `fragment`, once there are `at_least` of them or after 5 s: the
// access log is written in blocks, at the latest a second after a line.
int accessLogLines(const ServerProcess& server, const std::string& fragment, int at_least) {
  const auto deadline = std::chrono::steady_clock::now() + seconds(5);
  int count = countLines(server.stdoutText(), fragment);
  while (count < at_least && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(50));
    count = countLines(server.stdoutText(), fragment);
  }
  return count;
}

// The fixed windows are aligned to the minute: a burst that must fit in one starts early enough in it.
void waitForRoomInTheMinute(seconds needed) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto into_minute = std::chrono::duration_cast<milliseconds>(now) % milliseconds(60000);
  if (milliseconds(60000) - into_minute < needed) std::this_thread::sleep_for(milliseconds(60100) - into_minute);
}

class SharedInstancesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { std::signal(SIGPIPE, SIG_IGN); }

  void SetUp() override {
    P2J_REQUIRE_POSTGRES();
    schema_ = std::make_unique<PostgresSchema>(*testPostgresUrl());
    redis_ = std::make_unique<RedisServer>();
  }

  void startInstances(const std::string& a_on_failure, const std::string& b_on_failure) {
    const std::map<std::string, std::string> env = {{"P2J_DATABASE_URL", schema_->connection()},
                                                    {"P2J_REDIS_URL", redis_->url()}};
    a_ = std::make_unique<ServerProcess>(instanceConfig(a_on_failure), env);
    b_ = std::make_unique<ServerProcess>(instanceConfig(b_on_failure), env);
    a_->start();
    b_->start();
    nginx_ = std::make_unique<NginxServer>(std::vector<uint16_t>{a_->port(), b_->port()});
  }

  HttpResult throughNginx(const std::string& method, const std::string& path, const std::string& body = "") const {
    return httpRequest(nginx_->port(), method, path, body);
  }

  size_t specsInPostgres(const std::vector<std::string>& ids) {
    std::string list;
    for (const auto& id : ids) list += (list.empty() ? "'" : ",'") + id + "'";
    return std::stoul(schema_->query("SELECT count(*) FROM specs WHERE id IN (" + list + ")").at(0).at(0));
  }

  std::unique_ptr<PostgresSchema> schema_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ServerProcess> a_;
  std::unique_ptr<ServerProcess> b_;
  std::unique_ptr<NginxServer> nginx_;
};

TEST_F(SharedInstancesTest, TheTwentyFirstCallInAMinuteIs429WhicheverInstanceServesIt) {
  startInstances("open", "open");
  waitForRoomInTheMinute(seconds(15));
  for (int i = 0; i < 20; ++i) {
    const HttpResult result = throughNginx("POST", "/generate", prompt(i));
    ASSERT_EQ(result.status, 200) << i << ": " << result.body;
    // One budget: the remaining count goes down by one per call, whichever instance answered.
    EXPECT_EQ(result.header("RateLimit-Remaining"), std::to_string(19 - i)) << i;
  }
  EXPECT_GE(accessLogLines(*a_, "POST /generate route=/generate status=200", 5), 5) << "nginx did not spread the calls";
  EXPECT_GE(accessLogLines(*b_, "POST /generate route=/generate status=200", 5), 5) << "nginx did not spread the calls";

  for (int i = 0; i < 2; ++i) {  // round-robin: one of these two reaches each instance
    const HttpResult refused = throughNginx("POST", "/generate", prompt(i));
    EXPECT_EQ(refused.status, 429) << refused.body;
    EXPECT_FALSE(refused.header("Retry-After").empty());
    EXPECT_EQ(refused.header("RateLimit-Remaining"), "0");
  }
  EXPECT_EQ(a_->request("POST", "/generate", prompt(0)).status, 429);
  EXPECT_EQ(b_->request("POST", "/generate", prompt(0)).status, 429);
  EXPECT_GE(accessLogLines(*a_, "status=429", 2), 2);
  EXPECT_GE(accessLogLines(*b_, "status=429", 2), 2);
}

TEST_F(SharedInstancesTest, ASpecWrittenThroughOneInstanceIsReadThroughTheOther) {
  startInstances("open", "open");
  const HttpResult on_a = a_->request("POST", "/generate", prompt(7));
  ASSERT_EQ(on_a.status, 200) << on_a.body;
  const HttpResult read_on_b = b_->request("GET", "/specs/" + member(on_a.body, "spec_id"));
  ASSERT_EQ(read_on_b.status, 200) << read_on_b.body;
  EXPECT_NE(read_on_b.body.find("\"stories\":9"), std::string::npos) << read_on_b.body;

  const HttpResult on_b = b_->request("POST", "/generate", prompt(12));
  ASSERT_EQ(on_b.status, 200) << on_b.body;
  EXPECT_EQ(a_->request("GET", "/specs/" + member(on_b.body, "spec_id")).status, 200);
  EXPECT_EQ(throughNginx("GET", "/specs/" + member(on_b.body, "spec_id")).status, 200);

  // The cache is shared too: what A generated is a hit on B, and B's answer is a row of its own.
  const HttpResult again_on_b = b_->request("POST", "/generate", prompt(7));
  ASSERT_EQ(again_on_b.status, 200);
  EXPECT_NE(member(again_on_b.body, "spec_id"), member(on_a.body, "spec_id"));
  const rapidjson::Document stats = sdk::parseJson(b_->request("GET", "/cache-stats").body);
  EXPECT_EQ(stats["cache_stats"]["hits"].GetUint64(), 1U);
  EXPECT_EQ(sample(b_->request("GET", "/metrics").body, R"(cache_hits_total{cache="answers"})"), 1);
  EXPECT_STREQ(stats["cache_stats"]["cache_type"].GetString(), "Redis");
  EXPECT_TRUE(stats["cache_stats"]["redis_connected"].GetBool());
}

TEST_F(SharedInstancesTest, WithRedisKilledLimitsFailAsConfiguredAndNothingAcknowledgedIsLost) {
  startInstances("open", "closed");
  std::vector<std::string> acknowledged;
  for (int i = 0; i < 4; ++i) {
    const HttpResult result = (i % 2 == 0 ? a_ : b_)->request("POST", "/generate", prompt(i));
    ASSERT_EQ(result.status, 200) << result.body;
    acknowledged.push_back(member(result.body, "spec_id"));
  }
  ASSERT_EQ(readyzCheck(a_->request("GET", "/readyz"), "rate_limits"), "ok");

  redis_->kill();
  // Open: the instance counts in its own process and keeps serving. Closed: 503, and nothing is written.
  for (int i = 0; i < 5; ++i) {
    const HttpResult open = a_->request("POST", "/generate", prompt(10 + i));
    ASSERT_EQ(open.status, 200) << open.body;
    acknowledged.push_back(member(open.body, "spec_id"));
    const HttpResult closed = b_->request("POST", "/generate", prompt(20 + i));
    EXPECT_EQ(closed.status, 503) << closed.body;
    EXPECT_EQ(member(closed.body, "error"), "service_unavailable");
    EXPECT_FALSE(closed.header("Retry-After").empty());
  }
  // Reads that are not rate limited go on, and what one instance wrote the other reads.
  EXPECT_EQ(b_->request("GET", "/specs/" + acknowledged.back()).status, 200);
  for (const auto* instance : {a_.get(), b_.get()}) {
    const HttpResult readyz = instance->request("GET", "/readyz");
    EXPECT_EQ(readyz.status, 200) << readyz.body;
    EXPECT_EQ(member(readyz.body, "status"), "degraded") << readyz.body;
    EXPECT_EQ(readyzCheck(readyz, "rate_limits"), "degraded") << readyz.body;
    EXPECT_EQ(readyzCheck(readyz, "answers"), "degraded") << readyz.body;
    EXPECT_EQ(member(instance->request("GET", "/health").body, "status"), "degraded");
  }
  EXPECT_EQ(specsInPostgres(acknowledged), acknowledged.size()) << "an acknowledged spec is missing";
  EXPECT_EQ(sample(a_->request("GET", "/metrics").body,
                   R"(rate_limit_store_failures_total{on_failure="open",store="redis"})"),
            5);
  EXPECT_EQ(sample(b_->request("GET", "/metrics").body,
                   R"(rate_limit_store_failures_total{on_failure="closed",store="redis"})"),
            5);

  redis_->start();
  const auto deadline = std::chrono::steady_clock::now() + seconds(5);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const HttpResult again = b_->request("POST", "/generate", prompt(40));
    status = again.status;
    if (status == 200) {
      acknowledged.push_back(member(again.body, "spec_id"));
      break;
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
  ASSERT_EQ(status, 200) << "the closed instance did not recover when Redis came back";
  ASSERT_EQ(a_->request("POST", "/generate", prompt(41)).status, 200);
  // The cache tries Redis again only once its retry interval (300 ms) has passed since its last failure, and
  // the rate limits may have come back before that: each instance is ready again within a few intervals.
  for (const auto* instance : {a_.get(), b_.get()}) {
    const auto ready_by = std::chrono::steady_clock::now() + seconds(5);
    std::string readyz = instance->request("GET", "/readyz").body;
    while (member(readyz, "status") != "ready" && std::chrono::steady_clock::now() < ready_by) {
      std::this_thread::sleep_for(milliseconds(100));
      readyz = instance->request("GET", "/readyz").body;
    }
    EXPECT_EQ(member(readyz, "status"), "ready") << readyz;
  }
  redis::Connection redis(redis::parseAddress(redis_->url()), {});
  EXPECT_EQ(redis.command({"KEYS", "p2j:rl:*"}).elements.size(), 1U) << "counting did not return to Redis";
  EXPECT_EQ(specsInPostgres(acknowledged), acknowledged.size());
}

}  // namespace
}  // namespace p2j::testing
