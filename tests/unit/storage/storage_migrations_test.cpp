// What the storage contract leaves to each bundled storage: its versioned schema from migrations/<database>/,
// checked on a database of its own (empty, or written by a newer p2j), and the transaction of a batch that
// the database itself refuses partway. The contract itself (every call and
// collection) is the conformance suite's, tests/conformance/storage_conformance.cpp, which ctest runs
// against both bundled storages. The PostgreSQL cases need $P2J_TEST_POSTGRES_URL.
#include "plugins/plugin_catalog.hpp"
#include "plugins/plugin_instance.hpp"
#include "plugins/storage_plugin.hpp"
#include "postgres.hpp"
#include "storage_backend.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/collections.hpp>
#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <functional>
#include <thread>

namespace p2j::plugins {
namespace {

using testing::Backend;

std::string quoted(const std::string& text) {
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  sdk::writeString(writer, text);
  return buffer.GetString();
}

std::string specRecord(const std::string& prompt, const std::string& agent = "rules") {
  return R"({"prompt": )" + quoted(prompt) + R"(, "agent": )" + quoted(agent) +
         R"(, "spec": {"design_type": "building", "stories": 3}})";
}

void expectStatus(p2j_status expected, const std::function<void()>& call, const std::string& fragment = "") {
  try {
    call();
    ADD_FAILURE() << "expected status " << expected << " (" << fragment << ")";
  } catch (const PluginCallError& e) {
    EXPECT_EQ(e.status(), expected) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

class StorageMigrationsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      P2J_REQUIRE_POSTGRES();
      schema_ = std::make_unique<testing::PostgresSchema>(*testing::testPostgresUrl());
    }
  }

  // A new instance on this test's database.
  std::unique_ptr<StoragePlugin> open(bool auto_migrate = true) {
    static PluginCatalog catalog({testing::kPluginDir});
    const bool sqlite = GetParam() == Backend::kSqlite;
    const auto library = catalog.find(sqlite ? "storage-sqlite" : "storage-postgres");
    std::string config = std::string(R"({"auto_migrate": )") + (auto_migrate ? "true" : "false");
    if (sqlite) {
      config += R"(, "path": )" + quoted(databasePath());
    } else {
      config += R"(, "connection": )" + quoted(schema_->connection()) + R"(, "spool_path": )" +
                quoted((dir_.path() / "spool.db").string());
    }
    config += "}";
    return std::make_unique<StoragePlugin>("db", library, createInstance(*library, "db", config));
  }

  std::string databasePath() const { return (dir_.path() / "nested" / "p2j.db").string(); }
  std::string database() const { return testing::databaseName(GetParam()); }

  // Runs SQL on the test's database directly, behind the plugin's back.
  void executeDirectly(const std::string& sql) {
    if (schema_) {
      schema_->query(sql);
      return;
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(databasePath().c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::PostgresSchema> schema_;
};

TEST_P(StorageMigrationsTest, MigrateReportsAppliesAndIsIdempotent) {
  const std::vector<std::string> known = testing::migrationFiles(database());
  ASSERT_FALSE(known.empty());
  auto storage = open(false);
  const sdk::MigrationReport before = storage->migrate(false);
  EXPECT_EQ(before.version, 0);
  EXPECT_EQ(before.latest, static_cast<int64_t>(known.size()));
  EXPECT_TRUE(before.applied.empty());
  EXPECT_EQ(before.missing, known);
  expectStatus(
      P2J_UNAVAILABLE, [&] { storage->insert("specs", specRecord("too early")); }, "migrate");
  EXPECT_EQ(storage->health().state, sdk::HealthState::kDown);

  const sdk::MigrationReport applied = storage->migrate(true);
  EXPECT_EQ(applied.applied, known);
  EXPECT_TRUE(applied.missing.empty());
  EXPECT_EQ(applied.version, applied.latest);
  const sdk::MigrationReport again = storage->migrate(true);
  EXPECT_TRUE(again.applied.empty());
  EXPECT_TRUE(again.missing.empty());
  EXPECT_EQ(again.version, applied.version);
  EXPECT_TRUE(storage->migrate(false).missing.empty());

  const StoredId stored = storage->insert("specs", specRecord("now"));
  EXPECT_TRUE(storage->get("specs", stored.id));
  EXPECT_EQ(storage->health().state, sdk::HealthState::kOk);
}

TEST_P(StorageMigrationsTest, RefusesADatabaseFromANewerVersion) {
  auto storage = open();
  executeDirectly(GetParam() == Backend::kSqlite
                      ? "INSERT INTO schema_migrations VALUES (999, '0999_future', '2030-01-01T00:00:00Z')"
                      : "INSERT INTO schema_migrations (version, name) VALUES (999, '0999_future')");
  expectStatus(
      P2J_INVALID_INPUT, [&] { storage->migrate(false); }, "schema version 999 (0999_future)");
  expectStatus(
      P2J_INVALID_INPUT, [&] { storage->migrate(true); }, "upgrade p2j");
  try {
    open();
    FAIL() << "expected the plugin to refuse the database";
  } catch (const PluginLoadError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 999 (0999_future)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("upgrade p2j"), std::string::npos) << e.what();
  }
}

// A record the validation passes and the database refuses (here a trigger or a CHECK added behind the
// plugin's back) rolls its batch back, earlier records included, while the batches committed beside it in
// the same group commit are kept.
TEST_P(StorageMigrationsTest, ABatchTheDatabaseRefusesPartwayKeepsNoneOfItsRecords) {
  auto storage = open();
  executeDirectly(GetParam() == Backend::kSqlite
                      ? "CREATE TRIGGER refuse_reports BEFORE INSERT ON evaluations"
                        " BEGIN SELECT RAISE(ABORT, 'reports are refused'); END"
                      : "ALTER TABLE evaluations ADD CONSTRAINT refuse_reports CHECK (score < 0)");
  const std::string spec = R"({"design_type":"building"})";
  // The fields view `prompt`, which must outlive them.
  auto specFields = [&](std::string_view prompt) {
    return std::vector<p2j_record_field>{sdk::recordField("prompt", prompt, P2J_FIELD_TEXT),
                                         sdk::recordField("spec", spec, P2J_FIELD_JSON),
                                         sdk::recordField("agent", "rules", P2J_FIELD_TEXT)};
  };
  const std::vector<p2j_record_field> report = {sdk::recordField("spec_id", "0", P2J_FIELD_RECORD_ID),
                                                sdk::recordField("prompt", "p", P2J_FIELD_TEXT),
                                                sdk::recordField("evaluator", "criteria", P2J_FIELD_TEXT),
                                                sdk::recordField("spec", spec, P2J_FIELD_JSON),
                                                sdk::recordField("evaluation", R"({"score":50})", P2J_FIELD_JSON),
                                                sdk::recordField("score", "50", P2J_FIELD_NUMBER)};
  const std::vector<p2j_record_field> rating = {sdk::recordField("spec_id", "0", P2J_FIELD_RECORD_ID),
                                                sdk::recordField("rating", "4", P2J_FIELD_NUMBER)};
  const auto refused_spec = specFields("refused");
  const sdk::RecordOfBatch refused[] = {{"specs", refused_spec}, {"evaluations", report}};
  expectStatus(
      P2J_INVALID_INPUT, [&] { storage->insertAll(refused); }, "refused");
  EXPECT_EQ(storage->counts().at("specs"), 0);

  constexpr int kThreads = 6;
  constexpr int kPerThread = 20;
  std::atomic<int> kept = 0;
  std::atomic<int> refusals = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const bool refuse = (t + i) % 3 == 0;
        const std::string prompt = "w" + std::to_string(t) + "-" + std::to_string(i);
        const auto fields = specFields(prompt);
        const sdk::RecordOfBatch batch[] = {{"specs", fields},
                                            {refuse ? "evaluations" : "feedback", refuse ? report : rating}};
        try {
          storage->insertAll(batch);
          ++kept;
        } catch (const PluginCallError& e) {
          if (e.status() == P2J_INVALID_INPUT) ++refusals;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(kept + refusals, kThreads * kPerThread);
  EXPECT_GT(refusals, 0);
  EXPECT_EQ(storage->counts().at("specs"), kept);
  EXPECT_EQ(storage->counts().at("feedback"), kept);
  EXPECT_EQ(storage->counts().at("evaluations"), 0);
}

INSTANTIATE_TEST_SUITE_P(Storage, StorageMigrationsTest, testing::kBothBackends, testing::backendTestName);

TEST(StorageMigrations, BothDatabasesHaveTheSameMigrations) {
  EXPECT_EQ(testing::migrationFiles("sqlite"), testing::migrationFiles("postgres"))
      << "every migration in migrations/sqlite/ needs its twin in migrations/postgres/ (and the other way round)";
}

}  // namespace
}  // namespace p2j::plugins
