// Nothing acknowledged is lost, against the real `p2j serve`: an id in a 2xx answer is readable after the
// server is SIGKILLed mid-load (SQLite and PostgreSQL), and every insert acknowledged while PostgreSQL was
// down reaches it exactly once when it is back.
#include "postgres.hpp"
#include "server_process.hpp"
#include "storage_backend.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

namespace p2j::testing {
namespace {

using std::chrono::milliseconds;

// A server with nothing but what writes need (and /iterate, which also reads): no auth, no rate limit.
std::string serverConfig(Backend backend) {
  const std::string storage = backend == Backend::kSqlite
                                  ? R"({ use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } })"
                                  : R"({ use: storage-postgres, config: { connection: "${P2J_DATABASE_URL}",
                 spool_path: "${P2J_DATA_DIR}/postgres-spool.db", replay_interval_ms: 200 } })";
  return R"(server: { threads: 32 }
logging: { level: warn, access_log: false }
plugins:
  rules: { use: agent-rules }
  criteria: { use: evaluator-criteria }
  reviewer: { use: feedback-heuristic }
  db: )" +
         storage +
         R"(
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules }
  - { method: GET, path: "/specs/{id}", action: get_spec }
  - { method: GET, path: /livez, action: livez }
  - { method: GET, path: /readyz, action: readyz }
  - { method: POST, path: /iterate, action: iterate, agent: rules, evaluator: criteria, feedback: reviewer }
)";
}

// Client threads posting /generate until stopped, keeping every spec_id the server acknowledged.
class WriteLoad {
 public:
  WriteLoad(uint16_t port, int threads) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, port, t] {
        for (int i = 0; !stopping_; ++i) {
          const std::string body = R"({"prompt": "Design a )" + std::to_string(2 + i % 20) +
                                   R"(-story office building with steel and glass, client )" + std::to_string(t) +
                                   R"("})";
          const HttpResult result = httpRequest(port, "POST", "/generate", body);
          std::lock_guard lock(mutex_);
          if (result.status == 200) {
            acknowledged_.push_back(sdk::parseJson(result.body)["spec_id"].GetString());
          } else {
            ++failures_;
            if (last_failure_.empty()) last_failure_ = std::to_string(result.status) + " " + result.body;
          }
        }
      });
    }
  }
  ~WriteLoad() { stop(); }

  void stop() {
    stopping_ = true;
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }
  std::vector<std::string> acknowledged() {
    std::lock_guard lock(mutex_);
    return acknowledged_;
  }
  int failures() {
    std::lock_guard lock(mutex_);
    return failures_;
  }
  std::string lastFailure() {
    std::lock_guard lock(mutex_);
    return last_failure_;
  }

 private:
  std::atomic<bool> stopping_ = false;
  std::mutex mutex_;
  std::vector<std::string> acknowledged_;
  int failures_ = 0;
  std::string last_failure_;
  std::vector<std::thread> threads_;
};

void migrate(const ServerProcess& server, const std::map<std::string, std::string>& env) {
  const ProcessResult result =
      runProcess({kP2jBinary, "migrate", "--config", (server.dir().path() / "p2j.yaml").string()}, env);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
}

// The storage's entry in /readyz's checks ("ok", "degraded", "down"), polled until it is `wanted`.
bool waitForStorageState(const ServerProcess& server, const std::string& wanted, milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const HttpResult readyz = server.request("GET", "/readyz");
    if (readyz.status != 0 && sdk::parseJson(readyz.body)["checks"]["db"].GetString() == wanted) return true;
    std::this_thread::sleep_for(milliseconds(100));
  }
  return false;
}

class SigkillTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      P2J_REQUIRE_POSTGRES();
      schema_ = std::make_unique<PostgresSchema>(*testPostgresUrl());
      env_["P2J_DATABASE_URL"] = schema_->connection();
    }
    env_["P2J_DATA_DIR"] = (data_.path() / "data").string();
  }

  TempDir data_;
  std::unique_ptr<PostgresSchema> schema_;
  std::map<std::string, std::string> env_;
};

TEST_P(SigkillTest, EveryAcknowledgedSpecSurvivesASigkillDuringWrites) {
  ServerProcess server(serverConfig(GetParam()), env_);
  if (GetParam() == Backend::kPostgres) migrate(server, env_);
  server.start();
  WriteLoad load(server.port(), 8);
  std::this_thread::sleep_for(milliseconds(1500));
  server.kill9();
  load.stop();
  const auto acknowledged = load.acknowledged();
  ASSERT_GT(acknowledged.size(), 10u) << "the load did not get going: " << load.lastFailure();

  server.start();
  int missing = 0;
  for (const auto& id : acknowledged) {
    const HttpResult result = server.request("GET", "/specs/" + id);
    if (result.status != 200) ++missing;
    EXPECT_EQ(result.status, 200) << id << ": " << result.body;
  }
  EXPECT_EQ(missing, 0) << "of " << acknowledged.size() << " acknowledged";
  EXPECT_EQ(server.stop(), 0);
}

INSTANTIATE_TEST_SUITE_P(Storage, SigkillTest, kBothBackends, backendTestName);

TEST(PostgresOutageTest, WritesAcknowledgedDuringAnOutageArriveExactlyOnce) {
  P2J_REQUIRE_POSTGRES();
  PostgresServer postgres;
  PostgresSchema schema(postgres.url());
  TempDir data;
  const std::map<std::string, std::string> env = {{"P2J_DATABASE_URL", schema.connection()},
                                                  {"P2J_DATA_DIR", (data.path() / "data").string()}};
  ServerProcess server(serverConfig(Backend::kPostgres), env);
  migrate(server, env);
  server.start();
  ASSERT_TRUE(waitForStorageState(server, "ok", milliseconds(5000)));

  WriteLoad load(server.port(), 8);
  std::this_thread::sleep_for(milliseconds(1000));
  postgres.stop();
  std::this_thread::sleep_for(milliseconds(300));
  const size_t acknowledged_before_outage = load.acknowledged().size();
  std::this_thread::sleep_for(milliseconds(2000));

  const HttpResult readyz = server.request("GET", "/readyz");
  EXPECT_EQ(readyz.status, 200) << readyz.body;
  EXPECT_STREQ(sdk::parseJson(readyz.body)["checks"]["db"].GetString(), "degraded") << readyz.body;
  const auto during = load.acknowledged();
  ASSERT_GT(during.size(), acknowledged_before_outage) << "nothing was acknowledged during the outage";
  const std::string spooled = during.back();
  EXPECT_EQ(server.request("GET", "/specs/" + spooled).status, 200) << "a spooled spec is readable during the outage";
  // The rounds are spooled like any write; only the insights, which read history, are left out.
  const HttpResult iterated =
      server.request("POST", "/iterate", R"({"prompt": "Design an office building", "n_iter": 2})");
  EXPECT_EQ(iterated.status, 200) << iterated.body;
  if (iterated.status == 200) {
    EXPECT_STREQ(sdk::parseJson(iterated.body)["learning_insights"]["message"].GetString(),
                 "Learning insights are unavailable while storage is unreachable");
  }

  postgres.start();
  std::this_thread::sleep_for(milliseconds(1000));
  load.stop();
  ASSERT_TRUE(waitForStorageState(server, "ok", milliseconds(30000))) << "the spool was not replayed";

  const auto acknowledged = load.acknowledged();
  EXPECT_EQ(load.failures(), 0) << load.lastFailure();
  const Rows rows = schema.query("SELECT id::text FROM specs");
  std::set<std::string> stored;
  for (const auto& row : rows) stored.insert(row[0]);
  EXPECT_EQ(rows.size(), acknowledged.size()) << "every acknowledged spec exactly once";
  for (const auto& id : acknowledged) EXPECT_TRUE(stored.contains(id)) << id << " is lost";
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace p2j::testing
