// One suite for every storage plugin: storage-sqlite and storage-postgres must answer every call the same
// way. The plugins are loaded through the host's StoragePlugin proxy, behind their C ABI, which is how the
// server sees them. The PostgreSQL cases need $P2J_TEST_POSTGRES_URL (scripts/test.sh starts a server).
#include "plugins/plugin_catalog.hpp"
#include "plugins/plugin_instance.hpp"
#include "plugins/storage_plugin.hpp"
#include "postgres.hpp"
#include "storage_backend.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>
#include <p2j/sdk/time.hpp>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <regex>
#include <set>
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

std::vector<std::string> ids(const rapidjson::Document& records) {
  std::vector<std::string> result;
  for (const auto& record : records.GetArray()) result.emplace_back(record["id"].GetString());
  return result;
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

class StorageConformanceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      P2J_REQUIRE_POSTGRES();
      schema_ = std::make_unique<testing::PostgresSchema>(*testing::testPostgresUrl());
    }
  }

  // A new instance on this test's database; `extra_config` is appended to the config object.
  std::unique_ptr<StoragePlugin> open(bool auto_migrate = true, const std::string& extra_config = "") {
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
    config += extra_config + "}";
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

TEST_P(StorageConformanceTest, InsertThenGetReturnsTheRecord) {
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

TEST_P(StorageConformanceTest, UnknownAndMalformedIdsAreNotFound) {
  auto storage = open();
  const StoredId stored = storage->insert("specs", specRecord("p"));
  EXPECT_EQ(storage->get("specs", "00000000-0000-4000-8000-000000000000"), std::nullopt);
  EXPECT_EQ(storage->get("specs", "not-a-uuid"), std::nullopt);
  EXPECT_EQ(storage->get("specs", ""), std::nullopt);
  std::string upper = stored.id;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  ASSERT_TRUE(storage->get("specs", upper)) << "ids are UUIDs: their case does not matter";
  expectStatus(
      P2J_INVALID_INPUT, [&] { storage->get("nope", stored.id); }, "unknown collection 'nope'");
}

TEST_P(StorageConformanceTest, SurvivesReopening) {
  std::string id;
  {
    auto storage = open();
    id = storage->insert("specs", specRecord("persist me")).id;
  }
  auto reopened = open(false);
  ASSERT_TRUE(reopened->get("specs", id));
  EXPECT_EQ(reopened->counts().at("specs"), 1);
}

TEST_P(StorageConformanceTest, RejectsBadRecordsWithTheField) {
  auto storage = open();
  auto expectInvalid = [&](const std::string& collection, const std::string& record, const std::string& fragment) {
    expectStatus(
        P2J_INVALID_INPUT, [&] { storage->insert(collection, record); }, fragment);
  };
  expectInvalid("specs", R"({"agent": "r", "spec": {}})", "prompt: is required");
  expectInvalid("specs", R"({"prompt": 1, "agent": "r", "spec": {}})", "prompt: has the wrong type");
  expectInvalid("specs", R"({"prompt": "p", "agent": "r", "spec": "text"})", "spec: has the wrong type");
  expectInvalid("specs", R"({"prompt": "p", "agent": "r", "spec": {}, "extra": 1})", "extra: is not a field");
  expectInvalid("nope", R"({})", "unknown collection 'nope'");
  expectInvalid("specs", R"({"prompt": )", "invalid JSON");
  // Text neither database could keep unchanged.
  expectInvalid("specs", R"({"prompt": "a\u0000b", "agent": "r", "spec": {}})", "prompt: must be valid UTF-8");
  expectInvalid("specs", "{\"prompt\": \"\xff\xfe\", \"agent\": \"r\", \"spec\": {}}", "prompt: must be valid UTF-8");
  expectInvalid("specs", R"({"prompt": "p", "agent": "r", "spec": {"a": ["x\u0000"]}})", "spec.a[0]: must be valid");
  // A constraint of the schema (feedback.rating is 1..5).
  expectInvalid("feedback", R"({"spec_id": "s", "rating": 9})", "");
  const auto counts = storage->counts();
  EXPECT_EQ(counts.at("specs"), 0);
  EXPECT_EQ(counts.at("feedback"), 0);
}

TEST_P(StorageConformanceTest, NonAsciiAndLargeRecordsRoundTrip) {
  auto storage = open();
  const std::string prompt = "Maison à Zürich 中文 🏠 " + std::string(200000, 'x');
  rapidjson::StringBuffer spec_text;
  sdk::JsonWriter writer(spec_text);
  writer.StartObject();
  writer.Key("design_type");
  writer.String("building");
  writer.Key("rooms");
  writer.StartArray();
  for (int i = 0; i < 20000; ++i) {
    writer.StartObject();
    writer.Key("名前");
    sdk::writeString(writer, "Raum " + std::to_string(i) + " — ünïcødé ✓");
    writer.Key("area_m2");
    writer.Double(12.5 + i);
    writer.Key("nested");
    writer.StartArray();
    writer.Int(i);
    writer.Bool(i % 2 == 0);
    writer.Null();
    writer.EndArray();
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  const std::string spec(spec_text.GetString(), spec_text.GetSize());
  ASSERT_GT(spec.size(), 1000000u);
  const StoredId stored =
      storage->insert("specs", R"({"prompt": )" + quoted(prompt) + R"(, "agent": "ägent", "spec": )" + spec + "}");
  const auto record = sdk::parseJson(*storage->get("specs", stored.id));
  EXPECT_EQ(std::string(record["prompt"].GetString(), record["prompt"].GetStringLength()), prompt);
  EXPECT_STREQ(record["agent"].GetString(), "ägent");
  // Equal as JSON; PostgreSQL's jsonb keeps values, not the order of an object's keys.
  EXPECT_TRUE(record["spec"] == sdk::parseJson(spec));
}

TEST_P(StorageConformanceTest, ConcurrentWritersAllCommitWithUniqueIds) {
  auto storage = open(true, GetParam() == Backend::kSqlite ? R"(, "synchronous": "normal")" : "");
  constexpr int kThreads = 16;
  constexpr int kPerThread = 50;
  std::vector<std::vector<std::string>> written(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        written[t].push_back(storage->insert("specs", specRecord("w" + std::to_string(t), "writer")).id);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> unique;
  for (const auto& list : written) unique.insert(list.begin(), list.end());
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(storage->counts().at("specs"), kThreads * kPerThread);
  for (const auto& id : unique) ASSERT_TRUE(storage->get("specs", id)) << id;
  // Each writer's own records come back in the order it wrote them.
  sdk::FindQuery query;
  query.limit = sdk::FindQuery::kMaxLimit;
  const auto all = ids(storage->find("specs", query));
  ASSERT_EQ(all.size(), unique.size());
  for (const auto& list : written) {
    std::vector<size_t> positions;
    for (const auto& id : list) positions.push_back(std::find(all.begin(), all.end(), id) - all.begin());
    EXPECT_TRUE(std::is_sorted(positions.begin(), positions.end()));
  }
}

TEST_P(StorageConformanceTest, FindFiltersOrdersAndBreaksTiesByInsertion) {
  auto storage = open();
  const std::string a = storage->insert("specs", specRecord("a", "x")).id;
  const StoredId b = storage->insert("specs", specRecord("b", "x"));
  const std::string c = storage->insert("specs", specRecord("c", "x")).id;
  const std::string d = storage->insert("specs", specRecord("d", "w")).id;

  sdk::FindQuery query;
  EXPECT_EQ(ids(storage->find("specs", query)), (std::vector<std::string>{a, b.id, c, d}));
  query.descending = true;
  EXPECT_EQ(ids(storage->find("specs", query)), (std::vector<std::string>{d, c, b.id, a}));
  query.limit = 2;
  EXPECT_EQ(ids(storage->find("specs", query)), (std::vector<std::string>{d, c}));

  // Equal agents tie: insertion order decides, in the direction asked for.
  query = {};
  query.order_by = "agent";
  EXPECT_EQ(ids(storage->find("specs", query)), (std::vector<std::string>{d, a, b.id, c}));
  query.descending = true;
  EXPECT_EQ(ids(storage->find("specs", query)), (std::vector<std::string>{c, b.id, a, d}));

  query = {};
  query.where = {{"agent", std::string("x")}};
  EXPECT_EQ(ids(storage->find("specs", query)), (std::vector<std::string>{a, b.id, c}));
  query.where = {{"agent", std::string("x")}, {"id", b.id}};
  EXPECT_EQ(ids(storage->find("specs", query)), (std::vector<std::string>{b.id}));
  query.where = {{"id", std::string("not-a-uuid")}};
  EXPECT_TRUE(storage->find("specs", query).Empty());
  query.where = {{"created_at", b.created_at}};
  EXPECT_EQ(ids(storage->find("specs", query)), (std::vector<std::string>{b.id}));
  query.where = {{"agent", std::string("nobody")}};
  EXPECT_TRUE(storage->find("specs", query).Empty());

  auto expectInvalid = [&](const sdk::FindQuery& bad, const std::string& fragment) {
    expectStatus(
        P2J_INVALID_INPUT, [&] { storage->find("specs", bad); }, fragment);
  };
  sdk::FindQuery bad;
  bad.where = {{"prompt", std::string("a")}};
  expectInvalid(bad, "cannot filter on 'prompt' (it can: id, created_at, agent)");
  bad = {};
  bad.order_by = "spec";
  expectInvalid(bad, "cannot order by 'spec'");
  bad = {};
  bad.where = {{"agent", 5.0}};
  expectInvalid(bad, "where.agent must be a string");
  bad.where = {{"created_at", std::string("yesterday")}};
  expectInvalid(bad, "where.created_at must be a UTC timestamp");
  expectStatus(
      P2J_INVALID_INPUT, [&] { storage->find("nope", {}); }, "unknown collection");
}

TEST_P(StorageConformanceTest, FindFiltersNumbersByColumnType) {
  auto storage = open();
  const std::string first = storage->insert("feedback", R"({"spec_id": "s1", "rating": 4})").id;
  storage->insert("feedback", R"({"spec_id": "s2", "rating": 2, "comment": "meh"})");
  sdk::FindQuery query;
  query.where = {{"spec_id", std::string("s1")}};
  const auto found = storage->find("feedback", query);
  ASSERT_EQ(found.Size(), 1u);
  EXPECT_EQ(std::string(found[0]["id"].GetString()), first);
  EXPECT_EQ(found[0]["rating"].GetInt64(), 4);
  EXPECT_TRUE(found[0]["comment"].IsNull());
}

TEST_P(StorageConformanceTest, FindWithTextNoRecordCanHoldMatchesNothing) {
  auto storage = open();
  storage->insert("feedback", R"({"spec_id": "s1", "rating": 4})");
  for (const std::string& text : {std::string("s1\xff"), std::string("s1\0", 3), std::string("\xc0\xaf")}) {
    sdk::FindQuery query;
    query.where = {{"spec_id", text}};
    EXPECT_EQ(storage->find("feedback", query).Size(), 0u) << "not UTF-8 or with a NUL: no row, and no error";
    query.where = {{"id", text}};
    EXPECT_EQ(storage->find("feedback", query).Size(), 0u);
  }
}

TEST_P(StorageConformanceTest, PruneDeletesByAge) {
  auto storage = open();
  const std::string old_a = storage->insert("specs", specRecord("a")).id;
  const std::string old_b = storage->insert("specs", specRecord("b")).id;
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const std::string boundary = sdk::utcNow();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const std::string young = storage->insert("specs", specRecord("c")).id;

  const sdk::PruneResult nothing = storage->prune("specs", "2000-01-01T00:00:00Z");
  EXPECT_EQ(nothing.pruned, 0);
  EXPECT_EQ(nothing.remaining, 3);
  const sdk::PruneResult result = storage->prune("specs", boundary);
  EXPECT_EQ(result.pruned, 2);
  EXPECT_EQ(result.remaining, 1);
  EXPECT_EQ(storage->get("specs", old_a), std::nullopt);
  EXPECT_EQ(storage->get("specs", old_b), std::nullopt);
  EXPECT_TRUE(storage->get("specs", young));
  // Whole seconds and an explicit offset are the same instant; the young record is after it.
  const sdk::PruneResult again = storage->prune("specs", boundary.substr(0, 19) + "+00:00");
  EXPECT_EQ(again.pruned, 0);
  expectStatus(
      P2J_INVALID_INPUT, [&] { storage->prune("specs", "last week"); }, "before must be a UTC timestamp");
  expectStatus(
      P2J_INVALID_INPUT, [&] { storage->prune("specs", "2026-01-01T00:00:00+02:00"); }, "UTC timestamp");
  expectStatus(
      P2J_INVALID_INPUT, [&] { storage->prune("nope", boundary); }, "unknown collection");
}

TEST_P(StorageConformanceTest, CountsEveryCollection) {
  auto storage = open();
  storage->insert("specs", specRecord("a"));
  storage->insert("specs", specRecord("b"));
  const auto counts = storage->counts();
  for (const std::string collection : {"specs", "evaluations", "iterations", "feedback", "value_logs", "policies"}) {
    ASSERT_TRUE(counts.contains(collection)) << collection;
  }
  EXPECT_EQ(counts.at("specs"), 2);
  EXPECT_EQ(counts.at("evaluations"), 0);
}

TEST_P(StorageConformanceTest, HealthIsReal) {
  auto storage = open();
  const HealthReport report = storage->health();
  EXPECT_EQ(report.state, sdk::HealthState::kOk) << report.detail;
}

TEST_P(StorageConformanceTest, MigrateReportsAppliesAndIsIdempotent) {
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

TEST_P(StorageConformanceTest, RefusesADatabaseFromANewerVersion) {
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

INSTANTIATE_TEST_SUITE_P(Storage, StorageConformanceTest, testing::kBothBackends, testing::backendTestName);

TEST(StorageMigrations, BothDatabasesHaveTheSameMigrations) {
  EXPECT_EQ(testing::migrationFiles("sqlite"), testing::migrationFiles("postgres"))
      << "every migration in migrations/sqlite/ needs its twin in migrations/postgres/ (and the other way round)";
}

}  // namespace
}  // namespace p2j::plugins
