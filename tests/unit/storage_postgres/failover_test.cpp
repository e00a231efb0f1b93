// storage-postgres when PostgreSQL goes away: inserts are spooled and acknowledged, reads of spooled records
// work, health says degraded, and the spool is replayed in order, exactly once, when PostgreSQL is back.
// Each test stops and starts a PostgreSQL server of this suite's own, so the shared one stays up.
#include "plugins/plugin_catalog.hpp"
#include "plugins/plugin_instance.hpp"
#include "plugins/storage_plugin.hpp"
#include "postgres.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/collections.hpp>
#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <thread>

namespace p2j::plugins {
namespace {

std::string specRecord(const std::string& prompt) {
  return R"({"prompt": ")" + prompt + R"(", "agent": "rules", "spec": {"design_type": "building"}})";
}

class PostgresFailoverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::testPostgresUrl()) return;
    try {
      server_ = new testing::PostgresServer();
    } catch (const std::exception& e) {
      server_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    P2J_REQUIRE_POSTGRES();
    ASSERT_NE(server_, nullptr) << server_error_;
    server_->start();
    schema_ = std::make_unique<testing::PostgresSchema>(server_->url());
  }

  std::unique_ptr<StoragePlugin> open(const std::string& connection, int replay_interval_ms = 50) {
    static PluginCatalog catalog({testing::kPluginDir});
    const auto library = catalog.find("storage-postgres");
    const std::string config = R"({"connection": ")" + connection + R"(", "auto_migrate": true, "spool_path": ")" +
                               (dir_.path() / "spool.db").string() + R"(", "replay_interval_ms": )" +
                               std::to_string(replay_interval_ms) + R"(, "connect_timeout_seconds": 2})";
    return std::make_unique<StoragePlugin>("db", library, createInstance(*library, "db", config));
  }
  std::unique_ptr<StoragePlugin> open() { return open(escaped(schema_->connection())); }

  static std::string escaped(const std::string& text) {
    std::string result;
    for (const char c : text) {
      if (c == '"' || c == '\\') result += '\\';
      result += c;
    }
    return result;
  }

  // Waits until the storage stops reporting degraded (its spool replayed).
  static bool waitUntilRecovered(const StoragePlugin& storage) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (storage.health().state != sdk::HealthState::kDegraded) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  static testing::PostgresServer* server_;
  static std::string server_error_;
  testing::TempDir dir_;
  std::unique_ptr<testing::PostgresSchema> schema_;
};

testing::PostgresServer* PostgresFailoverTest::server_ = nullptr;
std::string PostgresFailoverTest::server_error_;

TEST_F(PostgresFailoverTest, SpoolsDuringAnOutageAndReplaysInOrderExactlyOnce) {
  auto storage = open();
  std::vector<std::string> written;
  for (int i = 0; i < 3; ++i) written.push_back(storage->insert("specs", specRecord("before " + std::to_string(i))).id);

  server_->stop();
  for (int i = 0; i < 5; ++i) written.push_back(storage->insert("specs", specRecord("during " + std::to_string(i))).id);
  const HealthReport during = storage->health();
  EXPECT_EQ(during.state, sdk::HealthState::kDegraded) << during.detail;
  EXPECT_NE(during.detail.find("\"spooled\":5"), std::string::npos) << during.detail;
  const auto spooled = storage->get("specs", written[4]);
  ASSERT_TRUE(spooled) << "a spooled record is readable by id during the outage";
  EXPECT_STREQ(sdk::parseJson(*spooled)["prompt"].GetString(), "during 1");
  try {
    storage->get("specs", written[0]);
    FAIL() << "a record only PostgreSQL has cannot be read while it is down";
  } catch (const PluginCallError& e) {
    EXPECT_EQ(e.status(), P2J_UNAVAILABLE) << e.what();
  }

  server_->start();
  ASSERT_TRUE(waitUntilRecovered(*storage)) << storage->health().detail;
  const testing::Rows rows = schema_->query("SELECT id::text FROM specs ORDER BY seq");
  ASSERT_EQ(rows.size(), written.size());
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i][0], written[i]) << "position " << i;
  EXPECT_EQ(storage->counts().at("specs"), 8);
  EXPECT_STREQ(sdk::parseJson(*storage->get("specs", written[4]))["prompt"].GetString(), "during 1");
}

// A batch acknowledged during an outage is spooled whole, its reference resolved, and replayed whole.
TEST_F(PostgresFailoverTest, SpoolsABatchWholeAndReplaysIt) {
  auto storage = open();
  server_->stop();
  const std::string spec = R"({"design_type":"building"})";
  const p2j_record_field spec_fields[] = {sdk::recordField("prompt", "p", P2J_FIELD_TEXT),
                                          sdk::recordField("spec", spec, P2J_FIELD_JSON),
                                          sdk::recordField("agent", "rules", P2J_FIELD_TEXT)};
  const p2j_record_field rating[] = {sdk::recordField("spec_id", "0", P2J_FIELD_RECORD_ID),
                                     sdk::recordField("rating", "4", P2J_FIELD_NUMBER)};
  const sdk::RecordOfBatch batch[] = {{"specs", spec_fields}, {"feedback", rating}};
  const std::vector<StoredId> stored = storage->insertAll(batch);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_NE(storage->health().detail.find("\"spooled\":2"), std::string::npos) << storage->health().detail;
  const auto spooled = storage->get("feedback", stored[1].id);
  ASSERT_TRUE(spooled);
  EXPECT_EQ(std::string(sdk::parseJson(*spooled)["spec_id"].GetString()), stored[0].id);

  server_->start();
  ASSERT_TRUE(waitUntilRecovered(*storage)) << storage->health().detail;
  EXPECT_EQ(schema_->query("SELECT id::text FROM specs")[0][0], stored[0].id);
  EXPECT_EQ(schema_->query("SELECT spec_id FROM feedback")[0][0], stored[0].id);
}

// A spooled batch is replayed in one transaction even where the replay's own batches would cut it (here after
// 255 records, one short of a replay batch), and a batch PostgreSQL refuses a record of is set aside whole:
// never the spec in PostgreSQL without its rating.
TEST_F(PostgresFailoverTest, ReplaysASpooledBatchWholeOrSetsItAsideWhole) {
  auto storage = open();
  schema_->query("ALTER TABLE feedback ADD CONSTRAINT no_fours CHECK (rating <> 4)");
  server_->stop();
  for (int i = 0; i < 255; ++i) storage->insert("specs", specRecord("alone " + std::to_string(i)));
  const std::string spec = R"({"design_type":"building"})";
  const p2j_record_field spec_fields[] = {sdk::recordField("prompt", "rated", P2J_FIELD_TEXT),
                                          sdk::recordField("spec", spec, P2J_FIELD_JSON),
                                          sdk::recordField("agent", "rules", P2J_FIELD_TEXT)};
  const p2j_record_field rating[] = {sdk::recordField("spec_id", "0", P2J_FIELD_RECORD_ID),
                                     sdk::recordField("rating", "4", P2J_FIELD_NUMBER)};
  const sdk::RecordOfBatch batch[] = {{"specs", spec_fields}, {"feedback", rating}};
  const std::vector<StoredId> refused = storage->insertAll(batch);
  storage->insert("specs", specRecord("after"));

  server_->start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (storage->health().detail.find("\"spooled\":0") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(schema_->query("SELECT COUNT(*) FROM specs")[0][0], "256") << storage->health().detail;
  EXPECT_EQ(schema_->query("SELECT COUNT(*) FROM specs WHERE id = '" + refused[0].id + "'")[0][0], "0");
  EXPECT_EQ(schema_->query("SELECT COUNT(*) FROM feedback")[0][0], "0");
  EXPECT_NE(storage->health().detail.find("\"rejected\":2"), std::string::npos) << storage->health().detail;
}

// Between PostgreSQL's return and the replay, a list would miss the spooled records: it is a 503 instead.
TEST_F(PostgresFailoverTest, ListsWaitForTheReplay) {
  auto storage = open(escaped(schema_->connection()), 10000);  // no replay before the find below
  storage->insert("feedback", R"({"spec_id": "s1", "rating": 4})");
  server_->stop();
  storage->insert("feedback", R"({"spec_id": "s1", "rating": 5})");
  server_->start();
  sdk::FindQuery query;
  query.where = {{"spec_id", std::string("s1")}};
  try {
    storage->find("feedback", query);
    FAIL() << "a list without the spooled record was returned";
  } catch (const PluginCallError& e) {
    EXPECT_EQ(e.status(), P2J_UNAVAILABLE) << e.what();
  }
  ASSERT_TRUE(waitUntilRecovered(*storage)) << storage->health().detail;
  EXPECT_EQ(storage->find("feedback", query).Size(), 2u);
}

TEST_F(PostgresFailoverTest, FollowsARestartWithoutFailingACall) {
  auto storage = open();
  storage->insert("specs", specRecord("before"));
  server_->stop();
  server_->start();
  // The pooled connection died with the server: the call must notice, reconnect, and succeed.
  const StoredId stored = storage->insert("specs", specRecord("after"));
  EXPECT_TRUE(storage->get("specs", stored.id));
  EXPECT_EQ(storage->health().state, sdk::HealthState::kOk) << storage->health().detail;
  EXPECT_EQ(schema_->query("SELECT COUNT(*) FROM specs")[0][0], "2");
}

TEST_F(PostgresFailoverTest, ReplayingAgainAfterACrashInsertsNothingTwice) {
  StoredId stored;
  {
    auto storage = open();
    server_->stop();
    stored = storage->insert("specs", specRecord("spooled"));
    EXPECT_EQ(storage->health().state, sdk::HealthState::kDegraded);
  }
  // As if a replay had committed this record to PostgreSQL and crashed before deleting it from the spool.
  server_->start();
  schema_->query("INSERT INTO specs (id, prompt, agent, spec_data, created_at) VALUES ('" + stored.id +
                 "', 'spooled', 'rules', '{\"design_type\": \"building\"}', '" + stored.created_at + "')");
  auto storage = open();
  ASSERT_TRUE(waitUntilRecovered(*storage)) << storage->health().detail;
  EXPECT_EQ(schema_->query("SELECT COUNT(*) FROM specs")[0][0], "1");
  EXPECT_TRUE(storage->get("specs", stored.id));
}

TEST_F(PostgresFailoverTest, SetsAsideWhatPostgresRefusesAndReplaysTheRest) {
  auto storage = open();
  // A constraint of this database's own (an operator's), which neither the contract nor the spool knows.
  schema_->query("ALTER TABLE feedback ADD CONSTRAINT not_refused CHECK (spec_id <> 'refused')");
  server_->stop();
  storage->insert("feedback", R"({"spec_id": "refused", "rating": 4})");
  const StoredId good = storage->insert("feedback", R"({"spec_id": "s", "rating": 5})");
  server_->start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (schema_->query("SELECT COUNT(*) FROM feedback")[0][0] != "1" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(schema_->query("SELECT id::text FROM feedback")[0][0], good.id);
  const HealthReport report = storage->health();
  EXPECT_EQ(report.state, sdk::HealthState::kDegraded) << "a refused record needs an operator: " << report.detail;
  EXPECT_NE(report.detail.find("\"rejected\":1"), std::string::npos) << report.detail;
  EXPECT_NE(report.detail.find("spool_rejected"), std::string::npos) << report.detail;
}

// Entries this build cannot read (a collection from a newer p2j, a damaged record) are set aside instead of
// holding back the replay for good.
TEST_F(PostgresFailoverTest, SetsAsideSpoolEntriesItCannotReadAndReplaysTheRest) {
  StoredId good;
  {
    auto storage = open();
    server_->stop();
    good = storage->insert("feedback", R"({"spec_id": "s", "rating": 5})");
  }
  sqlite3* spool = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "spool.db").c_str(), &spool), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(spool,
                   "INSERT INTO spool (collection, id, created_at, record) VALUES"
                   " ('from_a_newer_p2j', '11111111-1111-4111-8111-111111111111', '2026-11-30T12:00:00.000000Z',"
                   " '{}'),"
                   " ('feedback', '22222222-2222-4222-8222-222222222222', '2026-11-30T12:00:00.000000Z', '{oops')",
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(spool);
  server_->start();

  auto storage = open();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (schema_->query("SELECT COUNT(*) FROM feedback")[0][0] != "1" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const testing::Rows replayed = schema_->query("SELECT id::text FROM feedback");
  ASSERT_EQ(replayed.size(), 1u) << "the readable entry was not replayed: " << storage->health().detail;
  EXPECT_EQ(replayed[0][0], good.id);
  const HealthReport report = storage->health();
  EXPECT_NE(report.detail.find("\"rejected\":2"), std::string::npos) << report.detail;
  EXPECT_NE(report.detail.find("\"spooled\":0"), std::string::npos) << report.detail;
}

// A spool a p2j before batches left behind (no batch column) is taken as records inserted alone.
TEST_F(PostgresFailoverTest, ReplaysASpoolWrittenBeforeBatches) {
  sqlite3* spool = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "spool.db").c_str(), &spool), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(spool,
                         "CREATE TABLE spool (sequence INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL,"
                         " id TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, record TEXT NOT NULL);"
                         "INSERT INTO spool (collection, id, created_at, record) VALUES ('feedback',"
                         " '33333333-3333-4333-8333-333333333333', '2026-11-30T12:00:00.000000Z',"
                         " '{\"spec_id\": \"s\", \"rating\": 5}')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(spool);
  auto storage = open();
  ASSERT_TRUE(waitUntilRecovered(*storage)) << storage->health().detail;
  EXPECT_EQ(schema_->query("SELECT id::text FROM feedback")[0][0], "33333333-3333-4333-8333-333333333333");
  EXPECT_NE(storage->health().detail.find("\"spooled\":0"), std::string::npos) << storage->health().detail;
}

TEST_F(PostgresFailoverTest, StartsWhileUnreachableAndSpools) {
  // Nothing listens on port 1 of 127.0.0.1 (a privileged port).
  auto storage = open("host=127.0.0.1 port=1 dbname=p2j_test user=postgres");
  const HealthReport report = storage->health();
  EXPECT_EQ(report.state, sdk::HealthState::kDegraded) << report.detail;
  const StoredId stored = storage->insert("specs", specRecord("kept locally"));
  EXPECT_TRUE(storage->get("specs", stored.id));
  try {
    storage->migrate(false);
    FAIL() << "migrate needs PostgreSQL";
  } catch (const PluginCallError& e) {
    EXPECT_EQ(e.status(), P2J_UNAVAILABLE) << e.what();
  }
}

}  // namespace
}  // namespace p2j::plugins
