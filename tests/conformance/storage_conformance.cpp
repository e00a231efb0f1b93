// p2j_storage_conformance: the host-storage contract (the storage calls of p2j/sdk/abi.h and the record
// collections of p2j/sdk/collections.hpp) checked against any storage plugin, loaded and configured the way
// `p2j serve` does it: ABI check, config validated against the plugin's own schema, calls through the
// host's StoragePlugin proxy.
//
//   p2j_storage_conformance --plugin ./storage-foo.so --config '{"dsn": "..."}' [gtest flags]
//
// or $P2J_STORAGE_PLUGIN and $P2J_STORAGE_CONFIG. In the config, {tmp} becomes a directory of each test's own
// (removed after it) and ${VAR} / ${VAR:-default} expand from the environment. The suite deletes every record
// of the storage it is given: point it at a database of its own.
#include "config/env_expand.hpp"
#include "plugins/config_schema.hpp"
#include "plugins/plugin_catalog.hpp"
#include "plugins/storage_plugin.hpp"
#include "temp_dir.hpp"

#include <p2j/sdk/collections.hpp>
#include <p2j/sdk/json.hpp>
#include <p2j/sdk/time.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <regex>
#include <set>
#include <thread>

namespace p2j::conformance {
namespace {

using plugins::PluginCallError;
using plugins::StoragePlugin;
using plugins::StoredId;

struct Target {
  std::string plugin;  // a path to the .so (or a name in the current directory)
  std::string config_template;
};

Target& target() {
  static Target configured;
  return configured;
}

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

// Any RFC 9562 UUID: the bundled storages make time-ordered ones (version 7), another storage may make others.
const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
const std::regex kTimestamp(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)");

// A value of `type` for a sample record; `variant` makes values differ between records.
std::string sampleValue(sdk::FieldType type, int variant) {
  switch (type) {
    case sdk::FieldType::kText: {
      const std::string digits = std::to_string(variant);  // zero-padded: text orders like the number
      return quoted("text " + std::string(digits.size() < 4 ? 4 - digits.size() : 0, '0') + digits + " — ünïcødé");
    }
    case sdk::FieldType::kJson:
      return R"({"n": )" + std::to_string(variant) + R"(, "list": [1, "two", null, true], "nested": {"k": "v"}})";
    case sdk::FieldType::kReal:
      return std::to_string(variant) + ".25";
    case sdk::FieldType::kInteger:
      return std::to_string(variant);
  }
  return "null";
}

// A record of `collection` with every field (or only the required ones), valid under the contract.
std::string sampleRecord(const sdk::RecordCollection& collection, bool optional_fields, int variant = 3) {
  std::string record = "{";
  for (const auto& field : collection.fields) {
    if (!field.required && !optional_fields) continue;
    int value = variant;
    if (field.minimum) value = std::max<int>(value, static_cast<int>(*field.minimum));
    if (field.maximum) value = std::min<int>(value, static_cast<int>(*field.maximum));
    record += (record.size() > 1 ? ", " : "") + quoted(std::string(field.name)) + ": " + sampleValue(field.type, value);
  }
  return record + "}";
}

class StorageConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    // Whatever an earlier test or run left behind goes, so every test starts from an empty storage.
    auto storage = open();
    for (const auto& collection : sdk::recordCollections()) storage->prune(collection.name, "9999-12-31T23:59:59Z");
    for (const auto& [collection, count] : storage->counts()) {
      ASSERT_EQ(count, 0) << collection << ": the suite needs a storage it can empty with prune()";
    }
  }

  // A new instance on this test's storage, configured as the command line says.
  std::unique_ptr<StoragePlugin> open() {
    static plugins::PluginCatalog catalog({std::filesystem::current_path()});
    const auto library = catalog.find(target().plugin);
    std::string config = target().config_template;
    for (size_t at = config.find("{tmp}"); at != std::string::npos; at = config.find("{tmp}", at)) {
      config.replace(at, 5, dir_.path().string());
    }
    config = config::expandEnvironment(config, config::processEnvironment);
    const std::string validated =
        plugins::validatePluginConfig(library->info().config_schema_json, config, std::filesystem::current_path());
    return std::make_unique<StoragePlugin>("storage", library, plugins::createInstance(*library, "storage", validated));
  }

  testing::TempDir dir_;
};

TEST_F(StorageConformance, IsAStoragePluginOfThisAbi) {
  const auto storage = open();
  EXPECT_EQ(storage->info().kind, P2J_KIND_STORAGE);
  EXPECT_EQ(storage->info().abi.major, P2J_ABI_MAJOR);
}

TEST_F(StorageConformance, InsertThenGetReturnsTheRecord) {
  auto storage = open();
  const StoredId stored = storage->insert("specs", specRecord("Design a house"));
  EXPECT_TRUE(std::regex_match(stored.id, kUuid)) << stored.id;
  EXPECT_TRUE(std::regex_match(stored.created_at, kTimestamp)) << stored.created_at;
  const auto text = storage->get("specs", stored.id);
  ASSERT_TRUE(text);
  const auto record = sdk::parseJson(*text);
  EXPECT_EQ(std::string(record["id"].GetString()), stored.id);
  EXPECT_STREQ(record["prompt"].GetString(), "Design a house");
  EXPECT_STREQ(record["agent"].GetString(), "rules");
  EXPECT_EQ(record["spec"]["stories"].GetInt(), 3);
  EXPECT_EQ(std::string(record["created_at"].GetString()), stored.created_at);
}

// Every collection of the contract, with every field and with only the required ones: what goes in comes
// back, an optional field left out as null, and nothing else.
TEST_F(StorageConformance, EveryCollectionKeepsEveryField) {
  auto storage = open();
  for (const auto& collection : sdk::recordCollections()) {
    SCOPED_TRACE(std::string(collection.name));
    for (const bool optional_fields : {true, false}) {
      const std::string written = sampleRecord(collection, optional_fields);
      const StoredId stored = storage->insert(collection.name, written);
      const auto text = storage->get(collection.name, stored.id);
      ASSERT_TRUE(text);
      const auto record = sdk::parseJson(*text);
      const auto sent = sdk::parseJson(written);
      ASSERT_TRUE(record.IsObject()) << *text;
      EXPECT_EQ(record.MemberCount(), collection.fields.size() + 2) << *text;
      EXPECT_EQ(std::string(record["id"].GetString()), stored.id);
      EXPECT_EQ(std::string(record["created_at"].GetString()), stored.created_at);
      for (const auto& field : collection.fields) {
        const std::string name(field.name);
        ASSERT_TRUE(record.HasMember(name.c_str())) << name << " missing in " << *text;
        if (sent.HasMember(name.c_str())) {
          EXPECT_TRUE(record[name.c_str()] == sent[name.c_str()]) << name << " in " << *text;
        } else {
          EXPECT_TRUE(record[name.c_str()].IsNull()) << name << " in " << *text;
        }
      }
    }
  }
}

TEST_F(StorageConformance, EveryFilterableFieldFilters) {
  auto storage = open();
  int variant = 0;  // new values for each field, so records of a collection's other fields never match
  for (const auto& collection : sdk::recordCollections()) {
    for (const auto& field : collection.fields) {
      if (!field.filterable) continue;
      SCOPED_TRACE(std::string(collection.name) + "." + std::string(field.name));
      variant += 2;
      const std::string first = storage->insert(collection.name, sampleRecord(collection, false, variant)).id;
      storage->insert(collection.name, sampleRecord(collection, false, variant + 1));
      sdk::FindQuery query;
      const auto value = sdk::parseJson(sampleValue(field.type, variant));
      if (value.IsString()) {
        query.where = {{std::string(field.name), std::string(value.GetString())}};
      } else {
        query.where = {{std::string(field.name), value.GetDouble()}};
      }
      EXPECT_EQ(ids(storage->find(collection.name, query)), std::vector<std::string>{first});
      query.where.clear();
      query.order_by = field.name;
      query.descending = true;
      query.limit = 2;
      EXPECT_EQ(ids(storage->find(collection.name, query)).back(), first) << "ordered by it, descending";
    }
  }
}

TEST_F(StorageConformance, UnknownAndMalformedIdsAreNotFound) {
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

TEST_F(StorageConformance, SurvivesReopening) {
  std::string id;
  {
    auto storage = open();
    id = storage->insert("specs", specRecord("persist me")).id;
  }
  auto reopened = open();
  ASSERT_TRUE(reopened->get("specs", id));
  EXPECT_EQ(reopened->counts().at("specs"), 1);
}

TEST_F(StorageConformance, RejectsBadRecordsWithTheField) {
  auto storage = open();
  auto expectInvalid = [&](const std::string& collection, const std::string& record, const std::string& fragment) {
    expectStatus(
        P2J_INVALID_INPUT, [&] { storage->insert(collection, record); }, fragment);
  };
  expectInvalid("specs", R"({"agent": "r", "spec": {}})", "prompt: is required");
  expectInvalid("specs", R"({"prompt": null, "agent": "r", "spec": {}})", "prompt: is required");
  expectInvalid("specs", R"({"prompt": 1, "agent": "r", "spec": {}})", "prompt: has the wrong type");
  expectInvalid("specs", R"({"prompt": "p", "agent": "r", "spec": "text"})", "spec: has the wrong type");
  expectInvalid("specs", R"({"prompt": "p", "agent": "r", "spec": {}, "extra": 1})", "extra: is not a field");
  expectInvalid("specs", R"(["prompt"])", "a record must be a JSON object");
  expectInvalid("nope", R"({})", "unknown collection 'nope'");
  expectInvalid("specs", R"({"prompt": )", "invalid JSON");
  // Text not every database could keep unchanged.
  expectInvalid("specs", R"({"prompt": "a\u0000b", "agent": "r", "spec": {}})", "prompt: must be valid UTF-8");
  expectInvalid("specs", "{\"prompt\": \"\xff\xfe\", \"agent\": \"r\", \"spec\": {}}", "prompt: must be valid UTF-8");
  expectInvalid("specs", R"({"prompt": "p", "agent": "r", "spec": {"a": ["x\u0000"]}})", "spec.a[0]: must be valid");
  expectInvalid("specs", R"({"prompt": "p", "agent": "r", "spec": {"m": [{"type": "steel"}, {"k\u0000": 1}]}})",
                "spec.m[1]: must be valid");
  expectInvalid("specs", R"({"prompt": "p", "agent": "r", "spec": {"m": [{"n": {"o": "\u0000"}}]}})",
                "spec.m[0].n.o: must be valid");
  // Numbers: an integer field takes no fraction, and the contract's ranges hold (feedback.rating is 1..5).
  expectInvalid("feedback", R"({"spec_id": "s", "rating": 2.5})", "rating: has the wrong type");
  expectInvalid("feedback", R"({"spec_id": "s", "rating": 9})", "rating: must be between 1 and 5");
  expectInvalid("feedback", R"({"spec_id": "s", "rating": 0})", "rating: must be between 1 and 5");
  const auto counts = storage->counts();
  EXPECT_EQ(counts.at("specs"), 0);
  EXPECT_EQ(counts.at("feedback"), 0);
}

TEST_F(StorageConformance, NonAsciiAndLargeRecordsRoundTrip) {
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
  // Equal as JSON; a storage may keep values without the order of an object's keys (PostgreSQL's jsonb).
  EXPECT_TRUE(record["spec"] == sdk::parseJson(spec));
}

// The host passes a record as its top-level fields (p2j_storage_insert_v2, or JSON for a plugin older than ABI
// 1.6): stored as the same record, and refused as the JSON text would be.
TEST_F(StorageConformance, ARecordGivenAsFieldsIsTheRecordGivenAsJson) {
  auto storage = open();
  const std::string spec = R"({"design_type":"tower","stories":3,"note":"caf\u00e9 \"x\"","tags":[]})";
  const std::string prompt = "Design a \"tall\" tower\n";
  const p2j_record_field fields[] = {sdk::recordField("prompt", prompt, P2J_FIELD_TEXT),
                                     sdk::recordField("spec", spec, P2J_FIELD_JSON),
                                     sdk::recordField("agent", "rules", P2J_FIELD_TEXT)};
  const StoredId as_fields = storage->insert("specs", fields);
  EXPECT_TRUE(std::regex_match(as_fields.id, kUuid)) << as_fields.id;
  const StoredId as_json =
      storage->insert("specs", R"({"prompt": )" + quoted(prompt) + R"(, "spec": )" + spec + R"(, "agent": "rules"})");
  auto record = [&](const StoredId& stored) {
    rapidjson::Document document = sdk::parseJson(storage->get("specs", stored.id).value());
    document.RemoveMember("id");
    document.RemoveMember("created_at");
    return document;
  };
  EXPECT_TRUE(record(as_fields) == record(as_json));
  EXPECT_EQ(std::string(record(as_fields)["prompt"].GetString()), prompt);

  const p2j_record_field unstorable[] = {sdk::recordField("prompt", "p", P2J_FIELD_TEXT),
                                         sdk::recordField("spec", R"({"note":"a\u0000"})", P2J_FIELD_JSON),
                                         sdk::recordField("agent", "rules", P2J_FIELD_TEXT)};
  expectStatus(
      P2J_INVALID_INPUT, [&] { storage->insert("specs", unstorable); }, "spec");
  const p2j_record_field unknown[] = {
      sdk::recordField("prompt", "p", P2J_FIELD_TEXT), sdk::recordField("spec", "{}", P2J_FIELD_JSON),
      sdk::recordField("agent", "rules", P2J_FIELD_TEXT), sdk::recordField("colour", "red", P2J_FIELD_TEXT)};
  expectStatus(
      P2J_INVALID_INPUT, [&] { storage->insert("specs", unknown); }, "colour");
  for (const std::string_view bad_prompt : {std::string_view("a\0b", 3), std::string_view("caf\xe9")}) {
    const p2j_record_field unstorable_prompt[] = {sdk::recordField("prompt", bad_prompt, P2J_FIELD_TEXT),
                                                  sdk::recordField("spec", "{}", P2J_FIELD_JSON),
                                                  sdk::recordField("agent", "rules", P2J_FIELD_TEXT)};
    expectStatus(
        P2J_INVALID_INPUT, [&] { storage->insert("specs", unstorable_prompt); }, "prompt");
  }
  EXPECT_EQ(storage->counts().at("specs"), 2);
}

// A spec and the report that scores it, as /evaluate stores them: the report's spec_id names record 0.
struct ReportBatch {
  explicit ReportBatch(std::string prompt_text, std::string score_text = "87.5", std::string reference = "0")
      : prompt(std::move(prompt_text)), score(std::move(score_text)), spec_reference(std::move(reference)) {}
  // The fields view the strings above: a copy would view the original's.
  ReportBatch(const ReportBatch&) = delete;
  ReportBatch& operator=(const ReportBatch&) = delete;

  std::vector<sdk::RecordOfBatch> records() const { return {{"specs", spec_fields}, {"evaluations", report_fields}}; }

  std::string prompt;
  std::string score;
  std::string spec_reference;
  const std::string spec = R"({"design_type":"building","stories":3})";
  const std::string evaluation = R"({"score":87.5,"findings":[]})";
  const p2j_record_field spec_fields[3] = {sdk::recordField("prompt", prompt, P2J_FIELD_TEXT),
                                           sdk::recordField("spec", spec, P2J_FIELD_JSON),
                                           sdk::recordField("agent", "rules", P2J_FIELD_TEXT)};
  const p2j_record_field report_fields[7] = {sdk::recordField("spec_id", spec_reference, P2J_FIELD_RECORD_ID),
                                             sdk::recordField("prompt", prompt, P2J_FIELD_TEXT),
                                             sdk::recordField("evaluator", "criteria", P2J_FIELD_TEXT),
                                             sdk::recordField("spec", spec, P2J_FIELD_JSON),
                                             sdk::recordField("evaluation", evaluation, P2J_FIELD_JSON),
                                             sdk::recordField("score", score, P2J_FIELD_NUMBER),
                                             sdk::recordField("grade", "B", P2J_FIELD_TEXT)};
};

TEST_F(StorageConformance, ABatchIsStoredWithEachReferenceAsTheIdItNames) {
  auto storage = open();
  const ReportBatch batch("Design a house");
  const std::vector<StoredId> stored = storage->insertAll(batch.records());
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_TRUE(std::regex_match(stored[0].id, kUuid)) << stored[0].id;
  EXPECT_TRUE(std::regex_match(stored[1].id, kUuid)) << stored[1].id;
  EXPECT_NE(stored[0].id, stored[1].id);
  EXPECT_TRUE(std::regex_match(stored[1].created_at, kTimestamp)) << stored[1].created_at;
  const auto spec = sdk::parseJson(storage->get("specs", stored[0].id).value());
  EXPECT_STREQ(spec["prompt"].GetString(), "Design a house");
  EXPECT_EQ(std::string(spec["created_at"].GetString()), stored[0].created_at);
  const auto report = sdk::parseJson(storage->get("evaluations", stored[1].id).value());
  EXPECT_EQ(std::string(report["spec_id"].GetString()), stored[0].id);
  EXPECT_EQ(report["score"].GetDouble(), 87.5);
  EXPECT_EQ(report["spec"]["stories"].GetInt(), 3);
  EXPECT_TRUE(storage->insertAll({}).empty());
}

// All or none: a record the storage refuses, or a reference to no earlier record, keeps the batch's other
// records out too.
TEST_F(StorageConformance, ABatchWithARefusedRecordStoresNone) {
  auto storage = open();
  struct Refusal {
    const char* score;
    const char* spec_reference;
    const char* fragment;
  };
  const Refusal refusals[] = {{"\"high\"", "0", "score"},  // a number field that is not a number
                              {"87.5", "1", "spec_id"},    // the report itself, not an earlier record
                              {"87.5", "-1", "spec_id"},
                              {"87.5", "x", "spec_id"}};
  for (const Refusal& refusal : refusals) {
    const ReportBatch batch("p", refusal.score, refusal.spec_reference);
    expectStatus(
        P2J_INVALID_INPUT, [&] { storage->insertAll(batch.records()); }, refusal.fragment);
  }
  const ReportBatch good("p");
  std::vector<sdk::RecordOfBatch> unknown_collection = good.records();
  unknown_collection[1].collection = "reviews";
  expectStatus(
      P2J_INVALID_INPUT, [&] { storage->insertAll(unknown_collection); }, "reviews");
  EXPECT_EQ(storage->counts().at("specs"), 0);
  EXPECT_EQ(storage->counts().at("evaluations"), 0);
}

TEST_F(StorageConformance, ConcurrentBatchesAreEachStoredWholeOrNotAtAll) {
  auto storage = open();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::atomic<int> refused = 0;
  std::atomic<int> other_errors = 0;
  std::vector<std::vector<StoredId>> written(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const bool bad = (t * kPerThread + i) % 5 == 2;
        const ReportBatch batch("w" + std::to_string(t) + "-" + std::to_string(i), bad ? "\"none\"" : "50");
        try {
          const auto stored = storage->insertAll(batch.records());
          written[t].insert(written[t].end(), stored.begin(), stored.end());
        } catch (const PluginCallError& e) {
          (e.status() == P2J_INVALID_INPUT ? refused : other_errors)++;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const int accepted = kThreads * kPerThread - kThreads * kPerThread / 5;
  EXPECT_EQ(other_errors, 0);
  EXPECT_EQ(refused, kThreads * kPerThread / 5);
  EXPECT_EQ(storage->counts().at("specs"), accepted);
  EXPECT_EQ(storage->counts().at("evaluations"), accepted);
  for (const auto& list : written) {
    for (size_t i = 0; i + 1 < list.size(); i += 2) {
      const auto report = sdk::parseJson(storage->get("evaluations", list[i + 1].id).value());
      ASSERT_EQ(std::string(report["spec_id"].GetString()), list[i].id);
    }
  }
}

TEST_F(StorageConformance, ConcurrentWritersAllCommitWithUniqueIds) {
  auto storage = open();
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

// Concurrent inserts may share transactions (the bundled storages group commit): a refused record fails alone,
// and neither fails the records written with it nor leaves the storage anything but healthy.
TEST_F(StorageConformance, ARefusedRecordAmongConcurrentInsertsFailsAlone) {
  auto storage = open();
  constexpr int kThreads = 12;
  constexpr int kPerThread = 30;
  std::atomic<int> refused = 0;
  std::atomic<int> other_errors = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int rating = (t * kPerThread + i) % 7 == 3 ? 9 : 1 + i % 5;  // 9 is out of the rating's range
        try {
          storage->insert("feedback", R"({"spec_id": "s", "rating": )" + std::to_string(rating) + "}");
        } catch (const PluginCallError& e) {
          (e.status() == P2J_INVALID_INPUT ? refused : other_errors)++;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const int expected_refused = (kThreads * kPerThread + 3) / 7;  // 3, 10, 17, ...
  EXPECT_EQ(other_errors, 0);
  EXPECT_EQ(refused, expected_refused);
  EXPECT_EQ(storage->counts().at("feedback"), kThreads * kPerThread - expected_refused);
  EXPECT_EQ(storage->health().state, sdk::HealthState::kOk);
}

TEST_F(StorageConformance, FindFiltersOrdersAndBreaksTiesByInsertion) {
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
  expectInvalid(bad, "cannot filter on 'prompt'");
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

TEST_F(StorageConformance, FindReturnsOnlyTheFieldsAskedFor) {
  auto storage = open();
  storage->insert("evaluations", R"({"spec_id": "s1", "prompt": "p", "evaluator": "criteria", "spec": {"a": 1},
                                     "evaluation": {"score": 80}, "score": 80.5, "grade": "B"})");
  sdk::FindQuery query;
  query.fields = {"score", "spec", "id", "score"};
  const auto found = storage->find("evaluations", query);
  ASSERT_EQ(found.Size(), 1u);
  std::vector<std::string> keys;
  for (auto it = found[0].MemberBegin(); it != found[0].MemberEnd(); ++it) keys.emplace_back(it->name.GetString());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "score", "spec", "created_at"}));
  EXPECT_DOUBLE_EQ(found[0]["score"].GetDouble(), 80.5);
  EXPECT_EQ(found[0]["spec"]["a"].GetInt(), 1);
  // Filtering and ordering on fields not asked for still work; a field the collection lacks is refused.
  query.fields = {"grade"};
  query.where = {{"spec_id", std::string("s1")}};
  query.order_by = "spec_id";
  ASSERT_EQ(storage->find("evaluations", query).Size(), 1u);
  query.fields = {"grade", "colour"};
  expectStatus(
      P2J_INVALID_INPUT, [&] { storage->find("evaluations", query); }, "has no field 'colour'");
}

TEST_F(StorageConformance, FindFiltersNumbersByColumnType) {
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

TEST_F(StorageConformance, FindWithTextNoRecordCanHoldMatchesNothing) {
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

TEST_F(StorageConformance, PruneDeletesByAge) {
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

TEST_F(StorageConformance, CountsEveryCollection) {
  auto storage = open();
  storage->insert("specs", specRecord("a"));
  storage->insert("specs", specRecord("b"));
  const auto counts = storage->counts();
  for (const auto& collection : sdk::recordCollections()) {
    ASSERT_TRUE(counts.contains(std::string(collection.name))) << collection.name;
  }
  EXPECT_EQ(counts.at("specs"), 2);
  EXPECT_EQ(counts.at("evaluations"), 0);
}

TEST_F(StorageConformance, IsHealthy) {
  auto storage = open();
  const plugins::HealthReport report = storage->health();
  EXPECT_EQ(report.state, sdk::HealthState::kOk) << report.detail;
  EXPECT_NO_THROW(sdk::parseJson(report.detail)) << "the detail is a JSON object: " << report.detail;
}

// A storage with a versioned schema reports it and applies what is missing, idempotently; one without keeps
// the SDK's default (nothing to apply, nothing missing).
TEST_F(StorageConformance, MigrateIsIdempotent) {
  auto storage = open();
  const sdk::MigrationReport applied = storage->migrate(true);
  EXPECT_TRUE(applied.missing.empty());
  EXPECT_EQ(applied.version, applied.latest);
  const sdk::MigrationReport again = storage->migrate(true);
  EXPECT_TRUE(again.applied.empty());
  EXPECT_TRUE(again.missing.empty());
  EXPECT_EQ(again.version, applied.version);
  const sdk::MigrationReport checked = storage->migrate(false);
  EXPECT_TRUE(checked.applied.empty());
  EXPECT_TRUE(checked.missing.empty());
  EXPECT_EQ(checked.version, applied.version);
  EXPECT_LE(checked.version, checked.latest);
}

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

}  // namespace
}  // namespace p2j::conformance

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  auto& target = p2j::conformance::target();
  target.plugin = p2j::conformance::environment("P2J_STORAGE_PLUGIN").value_or("");
  target.config_template = p2j::conformance::environment("P2J_STORAGE_CONFIG").value_or("{}");
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if ((argument == "--plugin" || argument == "--config") && i + 1 < argc) {
      (argument == "--plugin" ? target.plugin : target.config_template) = argv[++i];
    } else {
      std::cerr << "unknown argument: " << argument << "\n";
      target.plugin.clear();
      break;
    }
  }
  if (target.plugin.empty()) {
    std::cerr << "usage: p2j_storage_conformance --plugin PATH.so [--config JSON] [gtest flags]\n"
                 "   or: P2J_STORAGE_PLUGIN=PATH.so P2J_STORAGE_CONFIG=JSON p2j_storage_conformance\n"
                 "In the config, {tmp} is a directory of each test's own; ${VAR} expands from the environment.\n";
    return 2;
  }
  return RUN_ALL_TESTS();
}
