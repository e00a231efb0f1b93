// storage-sqlite through the host's StoragePlugin proxy: the plugin's code is hidden behind its C ABI,
// so this is also how the server sees it.
#include "plugins/plugin_catalog.hpp"
#include "plugins/plugin_instance.hpp"
#include "plugins/storage_plugin.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <regex>
#include <set>
#include <thread>

namespace p2j::plugins {
namespace {

class SqliteStorageTest : public ::testing::Test {
 protected:
  std::unique_ptr<StoragePlugin> open(const std::string& extra_config = "") {
    static PluginCatalog catalog({testing::kPluginDir});
    const auto library = catalog.find("storage-sqlite");
    const std::string config = R"({"path": ")" + db_path() + "\"" + extra_config + "}";
    return std::make_unique<StoragePlugin>("db", library, createInstance(*library, "db", config));
  }
  std::string db_path() const { return (dir_.path() / "nested" / "p2j.db").string(); }
  static std::string specRecord(const std::string& prompt) {
    return R"({"prompt": )" + quoted(prompt) +
           R"(, "agent": "rules", "spec": {"design_type": "building", "stories": 3}})";
  }
  static std::string quoted(const std::string& text) {
    rapidjson::StringBuffer buffer;
    sdk::JsonWriter writer(buffer);
    sdk::writeString(writer, text);
    return buffer.GetString();
  }

  testing::TempDir dir_;
};

TEST_F(SqliteStorageTest, InsertThenGetReturnsTheRecord) {
  auto storage = open();
  const StoredId stored = storage->insert("specs", specRecord("Design a house"));
  EXPECT_TRUE(
      std::regex_match(stored.id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << stored.id;
  EXPECT_TRUE(std::regex_match(stored.created_at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
  const auto text = storage->get("specs", stored.id);
  ASSERT_TRUE(text);
  const auto record = sdk::parseJson(*text);
  EXPECT_EQ(std::string(record["id"].GetString()), stored.id);
  EXPECT_STREQ(record["prompt"].GetString(), "Design a house");
  EXPECT_STREQ(record["agent"].GetString(), "rules");
  EXPECT_EQ(record["spec"]["stories"].GetInt(), 3);
  EXPECT_EQ(std::string(record["created_at"].GetString()), stored.created_at);
}

TEST_F(SqliteStorageTest, UnknownIdIsNotFound) {
  auto storage = open();
  EXPECT_EQ(storage->get("specs", "00000000-0000-4000-8000-000000000000"), std::nullopt);
}

TEST_F(SqliteStorageTest, SurvivesReopening) {
  std::string id;
  {
    auto storage = open();
    id = storage->insert("specs", specRecord("persist me")).id;
  }
  auto reopened = open();
  ASSERT_TRUE(reopened->get("specs", id));
  EXPECT_EQ(reopened->counts().at("specs"), 1);
}

TEST_F(SqliteStorageTest, RejectsBadRecordsWithTheField) {
  auto storage = open();
  auto expectInvalid = [&](const std::string& collection, const std::string& record, const std::string& fragment) {
    try {
      storage->insert(collection, record);
      FAIL() << "expected INVALID_INPUT for " << record;
    } catch (const PluginCallError& e) {
      EXPECT_EQ(e.status(), P2J_INVALID_INPUT);
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  expectInvalid("specs", R"({"agent": "r", "spec": {}})", "prompt: is required");
  expectInvalid("specs", R"({"prompt": 1, "agent": "r", "spec": {}})", "prompt: has the wrong type");
  expectInvalid("specs", R"({"prompt": "p", "agent": "r", "spec": "text"})", "spec: has the wrong type");
  expectInvalid("specs", R"({"prompt": "p", "agent": "r", "spec": {}, "extra": 1})", "extra: is not a field");
  expectInvalid("nope", R"({})", "unknown collection 'nope'");
  expectInvalid("specs", R"({"prompt": )", "invalid JSON");
  EXPECT_EQ(storage->counts().at("specs"), 0);
}

TEST_F(SqliteStorageTest, NonAsciiAndLargeRecordsRoundTrip) {
  auto storage = open();
  const std::string prompt = "Maison à Zürich 中文 🏠 " + std::string(200000, 'x');
  const StoredId stored = storage->insert("specs", specRecord(prompt));
  const auto record = sdk::parseJson(*storage->get("specs", stored.id));
  EXPECT_EQ(std::string(record["prompt"].GetString(), record["prompt"].GetStringLength()), prompt);
}

TEST_F(SqliteStorageTest, ConcurrentWritersAllCommitWithUniqueIds) {
  auto storage = open(R"(, "synchronous": "normal")");
  constexpr int kThreads = 16;
  constexpr int kPerThread = 50;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i)
        ids[t].push_back(storage->insert("specs", specRecord("w" + std::to_string(t))).id);
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> unique;
  for (const auto& list : ids) unique.insert(list.begin(), list.end());
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(storage->counts().at("specs"), kThreads * kPerThread);
  for (const auto& id : unique) ASSERT_TRUE(storage->get("specs", id)) << id;
}

TEST_F(SqliteStorageTest, HealthIsReal) {
  auto storage = open();
  EXPECT_TRUE(storage->health().ok);
}

TEST_F(SqliteStorageTest, RecordsAppliedMigrations) {
  open();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "SELECT version, name FROM schema_migrations ORDER BY version", -1, &statement, nullptr);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(statement, 0), 1);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 1)), "0001_initial");
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

TEST_F(SqliteStorageTest, RefusesADatabaseFromANewerVersion) {
  open();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (999, '0999_future', '2030-01-01T00:00:00Z')", nullptr,
               nullptr, nullptr);
  sqlite3_close(db);
  try {
    open();
    FAIL() << "expected the plugin to refuse the database";
  } catch (const PluginLoadError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 999 (0999_future)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("upgrade p2j"), std::string::npos) << e.what();
  }
}

TEST_F(SqliteStorageTest, WithoutAutoMigrateNamesTheMissingMigration) {
  try {
    open(R"(, "auto_migrate": false)");
    FAIL() << "expected the plugin to refuse an unmigrated database";
  } catch (const PluginLoadError& e) {
    EXPECT_NE(std::string(e.what()).find("lacks migration 0001_initial.sql"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace p2j::plugins
