// `p2j migrate` and the start-up check against the real binary: serve refuses a database that lacks a
// migration and names it, migrate applies them once, and a database from a newer p2j is refused by both.
#include "postgres.hpp"
#include "server_process.hpp"
#include "storage_backend.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace p2j::testing {
namespace {

class MigrateCommandTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      P2J_REQUIRE_POSTGRES();
      schema_ = std::make_unique<PostgresSchema>(*testPostgresUrl());
      env_["P2J_DATABASE_URL"] = schema_->connection();
    }
    env_["P2J_DATA_DIR"] = (dir_.path() / "data").string();
    const std::string storage =
        GetParam() == Backend::kSqlite
            ? R"({ use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db", auto_migrate: false } })"
            : R"({ use: storage-postgres, config: { connection: "${P2J_DATABASE_URL}" } })";
    config_yaml_ = R"(plugins:
  rules: { use: agent-rules }
  db: )" + storage +
                   R"(
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules }
  - { method: GET, path: /livez, action: livez }
)";
    config_ = dir_.write("p2j.yaml", config_yaml_).string();
  }

  std::string database() const { return databaseName(GetParam()); }

  ProcessResult p2j(const std::vector<std::string>& args) {
    // A serve that does not refuse would run forever: timeout ends it and the test fails instead of hanging.
    std::vector<std::string> argv = {"/usr/bin/timeout", "60", kP2jBinary};
    argv.insert(argv.end(), args.begin(), args.end());
    return runProcess(argv, env_);
  }
  ProcessResult serve() {
    return p2j({"serve", "--config", config_, "--listen", "127.0.0.1:" + std::to_string(freePort())});
  }

  void recordFutureMigration() {
    if (schema_) {
      schema_->query("INSERT INTO schema_migrations (version, name) VALUES (999, '0999_future')");
    } else {
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open((env_["P2J_DATA_DIR"] + "/p2j.db").c_str(), &db), SQLITE_OK);
      EXPECT_EQ(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (999, '0999_future', '2030-01-01T00:00:00Z')",
                             nullptr, nullptr, nullptr),
                SQLITE_OK);
      sqlite3_close(db);
    }
  }

  TempDir dir_;
  std::unique_ptr<PostgresSchema> schema_;
  std::map<std::string, std::string> env_;
  std::string config_yaml_;
  std::string config_;
};

TEST_P(MigrateCommandTest, ServeRefusesUntilMigrateHasAppliedEveryMigration) {
  const std::vector<std::string> known = migrationFiles(database());
  const ProcessResult refused = serve();
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  for (const auto& name : known) EXPECT_NE(refused.err.find(name), std::string::npos) << name << ": " << refused.err;
  EXPECT_NE(refused.err.find("run `p2j migrate --config " + config_ + "`"), std::string::npos) << refused.err;

  const ProcessResult applied = p2j({"migrate", "--config", config_});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  std::string expected;
  for (const auto& name : known) expected += "applied " + name + "\n";
  EXPECT_EQ(applied.out.substr(0, expected.size()), expected) << applied.out;
  EXPECT_NE(applied.out.find("schema version " + std::to_string(known.size())), std::string::npos) << applied.out;

  const ProcessResult again = p2j({"migrate", "--config", config_});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(again.out.find("applied "), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("up to date"), std::string::npos) << again.out;

  ServerProcess server(config_yaml_, env_);
  server.start();
  EXPECT_EQ(server.request("POST", "/generate", R"({"prompt": "Design a 3-story house"})").status, 200);
  EXPECT_EQ(server.stop(), 0);
}

TEST_P(MigrateCommandTest, ADatabaseFromANewerP2jIsRefused) {
  ASSERT_EQ(p2j({"migrate", "--config", config_}).exit_code, 0);
  recordFutureMigration();
  const ProcessResult migrate = p2j({"migrate", "--config", config_});
  EXPECT_EQ(migrate.exit_code, 2) << migrate.out << migrate.err;
  EXPECT_NE(migrate.err.find("schema version 999 (0999_future)"), std::string::npos) << migrate.err;
  EXPECT_NE(migrate.err.find("upgrade p2j"), std::string::npos) << migrate.err;
  const ProcessResult serve_result = serve();
  EXPECT_EQ(serve_result.exit_code, 2) << serve_result.err;
  EXPECT_NE(serve_result.err.find("upgrade p2j"), std::string::npos) << serve_result.err;
}

INSTANTIATE_TEST_SUITE_P(Storage, MigrateCommandTest, kBothBackends, backendTestName);

TEST(PostgresExampleConfigTest, ChecksOut) {
  const ProcessResult result =
      runProcess({kP2jBinary, "check-config", std::string(kSourceDir) + "/config/examples/postgres.yaml"},
                 {{"P2J_DATABASE_URL", "postgresql://p2j@127.0.0.1:5432/p2j"}});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

TEST(RedisExampleConfigTest, ChecksOut) {
  const ProcessResult result =
      runProcess({kP2jBinary, "check-config", std::string(kSourceDir) + "/config/examples/redis.yaml"},
                 {{"P2J_DATABASE_URL", "postgresql://p2j@127.0.0.1:5432/p2j"},
                  {"P2J_REDIS_URL", "redis://127.0.0.1:6379/0"},
                  {"P2J_SHARED_DIR", "/etc/p2j/shared"}});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

}  // namespace
}  // namespace p2j::testing
