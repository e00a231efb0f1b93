// Loading real shared libraries, including ones broken on purpose (tests/plugins), through the same
// catalog and library code the server uses.
#include "plugins/agent_plugin.hpp"
#include "plugins/cache_plugin.hpp"
#include "plugins/evaluator_plugin.hpp"
#include "plugins/feedback_plugin.hpp"
#include "plugins/plugin_catalog.hpp"
#include "plugins/plugin_library.hpp"
#include "plugins/plugin_set.hpp"
#include "plugins/storage_plugin.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace p2j::plugins {
namespace {

using testing::kBrokenPluginDir;
using testing::kPluginDir;

std::string loadError(const std::string& use) {
  PluginCatalog catalog({kBrokenPluginDir});
  try {
    catalog.find(use);
  } catch (const PluginLoadError& e) {
    return e.what();
  }
  return "loaded without error";
}

void expectContains(const std::string& text, const std::string& fragment) {
  EXPECT_NE(text.find(fragment), std::string::npos) << "\"" << text << "\" lacks \"" << fragment << "\"";
}

TEST(PluginLoading, LoadsAGoodPluginAndReadsItsInfo) {
  PluginCatalog catalog({kBrokenPluginDir});
  const auto library = catalog.find("good-raw-agent");
  EXPECT_EQ(library->info().name, "good-raw-agent");
  EXPECT_EQ(library->info().kind, P2J_KIND_AGENT);
  EXPECT_EQ(library->info().abi.major, P2J_ABI_MAJOR);
  EXPECT_TRUE(library->info().thread_safe);
  AgentPlugin agent("a", library, createInstance(*library, "a", "{}"));
  EXPECT_EQ(agent.generate("anything").design_type, "general");
}

// The feedback kind (ABI 1.1) through the bundled plugin: the request crosses the boundary as JSON and the
// review comes back typed.
TEST(PluginLoading, LoadsAFeedbackPluginAndCallsIt) {
  PluginCatalog catalog({kPluginDir});
  const auto library = catalog.find("feedback-heuristic");
  EXPECT_EQ(library->info().kind, P2J_KIND_FEEDBACK);
  EXPECT_EQ(kindName(library->info().kind), "feedback");
  FeedbackPlugin reviewer("reviewer", library, createInstance(*library, "reviewer", "{}"));
  sdk::DesignSpec spec;
  spec.design_type = "building";
  spec.category = "residential";
  sdk::Evaluation evaluation;
  evaluation.score = 55;
  const sdk::FeedbackReport report = reviewer.review({"A house", spec, evaluation});
  EXPECT_EQ(report.source, "rule_based");
  EXPECT_EQ(report.suggestions.front(), "Add material specifications for structural integrity");
  EXPECT_EQ(report.suggestions.back(), "Overall specification needs significant improvement");
}

// What a reload relies on: an instance whose name, library and config are unchanged is taken over, any
// other is created anew (and the previous set keeps its own until it goes).
TEST(PluginSet, TakesOverUnchangedInstancesFromThePreviousSet) {
  testing::TempDir dir;
  auto configFor = [&](const std::string& points) {
    return config::parseConfig("plugin_dirs: [\"" + std::string(kPluginDir) + "\"]\nplugins:\n" +
                                   "  rules: { use: agent-rules }\n"
                                   "  count: { use: example-feature-count, config: { points_per_feature: " +
                                   points + " } }\nendpoints: []\n",
                               "test.yaml", dir.path());
  };
  PluginCatalog catalog({kPluginDir});
  const config::Config first_config = configFor("20");
  const auto first = PluginSet::create(first_config, resolvePlugins(first_config, catalog));
  const config::Config second_config = configFor("30");
  const auto second = PluginSet::create(second_config, resolvePlugins(second_config, catalog), first.get());
  EXPECT_EQ(second->get<PluginInstance>("rules"), first->get<PluginInstance>("rules"));
  EXPECT_NE(second->get<PluginInstance>("count"), first->get<PluginInstance>("count"));
  const auto third = PluginSet::create(second_config, resolvePlugins(second_config, catalog), second.get());
  EXPECT_EQ(third->get<PluginInstance>("count"), second->get<PluginInstance>("count"));
  EXPECT_EQ(first->get<PluginInstance>("count").use_count(), 2) << "the first set and this test's copy only";
}

// A plugin built against an older minor loads and works; what it cannot know of (findings, ABI 1.2) is
// absent, not invented.
TEST(PluginLoading, LoadsAnEvaluatorBuiltAgainstAbi11) {
  PluginCatalog catalog({kBrokenPluginDir});
  const auto library = catalog.find("legacy-evaluator");
  EXPECT_EQ(library->info().abi.major, 1);
  EXPECT_EQ(library->info().abi.minor, 1);
  EvaluatorPlugin evaluator("legacy", library, createInstance(*library, "legacy", "{}"));
  sdk::DesignSpec spec;
  spec.design_type = "building";
  spec.category = "commercial";
  const sdk::Evaluation evaluation = evaluator.evaluate(spec, "An office");
  EXPECT_EQ(evaluation.feedback.back(), "No special features specified");
  EXPECT_FALSE(evaluation.findings);
  EXPECT_EQ(evaluator.health().state, sdk::HealthState::kOk);
}

HealthReport healthOf(const std::string& use) {
  PluginCatalog catalog({kBrokenPluginDir});
  const auto library = catalog.find(use);
  AgentPlugin agent("a", library, createInstance(*library, "a", "{}"));
  return agent.health();
}

TEST(PluginLoading, LoadsAnAgentBuiltAgainstAbi10) {
  PluginCatalog catalog({kBrokenPluginDir});
  const auto library = catalog.find("abi10-agent");
  EXPECT_EQ(library->info().abi.minor, 0);
  AgentPlugin agent("old", library, createInstance(*library, "old", "{}"));
  EXPECT_EQ(agent.generate("anything").design_type, "general");
  EXPECT_EQ(agent.health().state, sdk::HealthState::kOk);
}

// An agent built against ABI 1.4 writes its spec as the SDK writes a DesignSpec and the host passes that text
// on; one built against 1.3 may leave fields out, and the host reads and writes its spec again: both end as
// the same text.
TEST(PluginLoading, AgentsOfEitherSpecAbiGiveTheSameSpecText) {
  PluginCatalog catalog({kBrokenPluginDir});
  AgentPlugin current("current", catalog.find("good-raw-agent"),
                      createInstance(*catalog.find("good-raw-agent"), "current", "{}"));
  AgentPlugin old("old", catalog.find("abi13-agent"), createInstance(*catalog.find("abi13-agent"), "old", "{}"));
  const std::string text = current.generateJson("anything");
  EXPECT_EQ(old.generateJson("anything"), text);
  EXPECT_EQ(sdk::serialize(current.generate("anything")), text);
  EXPECT_EQ(sdk::serialize(old.generate("anything")), text);
}

// A record goes to a storage built against ABI 1.6 as its fields, untouched, and to one built against 1.5 as
// the JSON object the fields make; either way the host reads the id back.
TEST(PluginLoading, StoragesOfEitherInsertAbiGetTheSameRecord) {
  PluginCatalog catalog({kBrokenPluginDir});
  const std::string spec = R"({"a":[1,"x\"y"]})";
  const p2j_record_field record[] = {{{"prompt", 6}, {"say \"hi\"", 8}, P2J_FIELD_TEXT},
                                     {{"spec", 4}, {spec.data(), spec.size()}, P2J_FIELD_JSON},
                                     {{"score", 5}, {"87.5", 4}, P2J_FIELD_NUMBER}};
  StoragePlugin current("current", catalog.find("raw-storage"),
                        createInstance(*catalog.find("raw-storage"), "current", "{}"));
  const StoredId stored = current.insert("specs", record);
  EXPECT_EQ(stored.id, "raw-v2");
  EXPECT_EQ(stored.created_at, "2026-12-03T10:00:00.000000Z");
  EXPECT_EQ(current.get("specs", stored.id).value_or(""), "prompt=1:say \"hi\"\nspec=3:" + spec + "\nscore=2:87.5\n");

  StoragePlugin old("old", catalog.find("abi15-storage"), createInstance(*catalog.find("abi15-storage"), "old", "{}"));
  EXPECT_EQ(old.insert("specs", record).id, "raw-v1");
  EXPECT_EQ(old.get("specs", "raw-v1").value_or(""), R"({"prompt":"say \"hi\"","spec":)" + spec + R"(,"score":87.5})");
}

// A batch goes to a storage built against ABI 1.7 in one call, its reference as the plugin's to resolve; to
// one built against 1.6 a record at a time, the host putting the id the first insert returned in the second.
TEST(PluginLoading, StoragesOfEitherBatchAbiGetTheBatch) {
  PluginCatalog catalog({kBrokenPluginDir});
  const p2j_record_field spec[] = {{{"prompt", 6}, {"p", 1}, P2J_FIELD_TEXT}};
  const p2j_record_field report[] = {{{"spec_id", 7}, {"0", 1}, P2J_FIELD_RECORD_ID},
                                     {{"score", 5}, {"87.5", 4}, P2J_FIELD_NUMBER}};
  const sdk::RecordOfBatch batch[] = {{"specs", spec}, {"evaluations", report}};

  StoragePlugin current("current", catalog.find("raw-storage"),
                        createInstance(*catalog.find("raw-storage"), "current", "{}"));
  const std::vector<StoredId> stored = current.insertAll(batch);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].id, "raw-a0");
  EXPECT_EQ(stored[1].id, "raw-a1");
  EXPECT_EQ(stored[1].created_at, "2026-12-03T10:00:00.000000Z");
  EXPECT_EQ(current.get("specs", "raw-a0").value_or(""),
            "[specs]\nprompt=1:p\n[evaluations]\nspec_id=4:0\nscore=2:87.5\n");

  StoragePlugin old("old", catalog.find("abi16-storage"), createInstance(*catalog.find("abi16-storage"), "old", "{}"));
  const std::vector<StoredId> one_by_one = old.insertAll(batch);
  ASSERT_EQ(one_by_one.size(), 2u);
  EXPECT_EQ(one_by_one[0].id, "raw-v2");
  EXPECT_EQ(old.get("evaluations", "raw-v2").value_or(""), "spec_id=1:raw-v2\nscore=2:87.5\n");

  const p2j_record_field forward[] = {{{"spec_id", 7}, {"1", 1}, P2J_FIELD_RECORD_ID}};
  const sdk::RecordOfBatch ahead[] = {{"evaluations", forward}, {"specs", spec}};
  // Refused before anything is inserted, as a storage of ABI 1.7 refuses it (the conformance suite checks
  // the bundled ones).
  try {
    old.insertAll(ahead);
    ADD_FAILURE() << "a reference to a later record was taken";
  } catch (const PluginCallError& e) {
    EXPECT_EQ(e.status(), P2J_INVALID_INPUT);
    expectContains(e.what(), "spec_id: refers to record '1', which is not an earlier record");
  }
}

TEST(PluginLoading, AMalformedInsertResultIsThePluginsFault) {
  PluginCatalog catalog({kBrokenPluginDir});
  const p2j_record_field record[] = {{{"prompt", 6}, {"p", 1}, P2J_FIELD_TEXT}};
  for (const auto& [use, fragment] : {std::pair{"broken-inserted-storage", "created_at lies outside its buffer"},
                                      std::pair{"broken-inserted-size-storage", "struct_size 4 leaves out the id"},
                                      std::pair{"broken-inserted-id-storage", "no id"}}) {
    StoragePlugin storage("db", catalog.find(use), createInstance(*catalog.find(use), "db", "{}"));
    try {
      storage.insert("specs", record);
      ADD_FAILURE() << use << ": its insert result was taken";
    } catch (const PluginCallError& e) {
      EXPECT_EQ(e.status(), P2J_INTERNAL) << use;
      expectContains(e.what(), fragment);
    }
    const sdk::RecordOfBatch batch[] = {{"specs", record}, {"specs", record}};
    try {
      storage.insertAll(batch);
      ADD_FAILURE() << use << ": its batch result was taken";
    } catch (const PluginCallError& e) {
      EXPECT_EQ(e.status(), P2J_INTERNAL) << use;
      expectContains(e.what(), fragment);
    }
  }
}

TEST(PluginLoading, AStorageOfAbi17WithoutItsBatchCallIsRefused) {
  PluginCatalog catalog({kBrokenPluginDir});
  const auto library = catalog.find("broken-no-insert-all-storage");
  const p2j_instance handle = createInstance(*library, "x", "{}");
  try {
    StoragePlugin storage("x", library, handle);
    FAIL() << "expected PluginLoadError";
  } catch (const PluginLoadError& e) {
    expectContains(e.what(), "broken-no-insert-all-storage.so");
    expectContains(e.what(), "does not export the required symbol p2j_storage_insert_all_v1");
  }
}

// The SDK refuses an insert whose result it could not report before it inserts: a record committed and then
// reported as failed would be stored twice by a caller that retries.
TEST(PluginLoading, AnInsertWithNowhereToPutItsIdStoresNothing) {
  PluginCatalog catalog({kPluginDir});
  testing::TempDir dir;
  const auto library = catalog.find("storage-sqlite");
  const std::string config = R"({"path": ")" + (dir.path() / "p2j.db").string() + R"(", "synchronous": "normal"})";
  const p2j_instance instance = createInstance(*library, "db", config);
  StoragePlugin storage("db", library, instance);
  const auto insert =
      library->function<p2j_status(p2j_instance, p2j_str, const p2j_record_field*, size_t, p2j_inserted*, p2j_buffer*)>(
          "p2j_storage_insert_v2");
  const p2j_record_field record[] = {{{"prompt", 6}, {"p", 1}, P2J_FIELD_TEXT},
                                     {{"spec", 4}, {"{}", 2}, P2J_FIELD_JSON},
                                     {{"agent", 5}, {"rules", 5}, P2J_FIELD_TEXT}};
  for (const uint32_t struct_size : {0u, 1u}) {
    p2j_inserted small{};
    small.struct_size = struct_size;
    p2j_buffer out{};
    EXPECT_NE(insert(instance, {"specs", 5}, record, 3, struct_size == 0 ? nullptr : &small, &out), P2J_OK);
    library->free_buffer(&out);
  }
  EXPECT_EQ(storage.counts().at("specs"), 0);
  EXPECT_FALSE(storage.insert("specs", record).id.empty());
  EXPECT_EQ(storage.counts().at("specs"), 1);
}

TEST(PluginLoading, ASpecTextThatIsNotJsonIsThePluginsFault) {
  PluginCatalog catalog({kBrokenPluginDir});
  const auto library = catalog.find("broken-spec-text");
  AgentPlugin agent("cut", library, createInstance(*library, "cut", "{}"));
  for (const bool typed : {false, true}) {
    try {
      typed ? (void)agent.generate("anything") : (void)agent.generateJson("anything");
      FAIL() << "expected PluginCallError";
    } catch (const PluginCallError& e) {
      EXPECT_EQ(e.status(), P2J_INTERNAL);
      expectContains(e.what(), "the agent returned a malformed spec");
    }
  }
}

// Braces around what is not JSON inside, or around bytes that are not UTF-8: the host passes on no such text.
TEST(PluginLoading, ASpecTextIsCheckedWithinItsBraces) {
  PluginCatalog catalog({kBrokenPluginDir});
  for (const std::string name : {"broken-spec-syntax", "broken-spec-utf8"}) {
    const auto library = catalog.find(name);
    AgentPlugin agent(name, library, createInstance(*library, name, "{}"));
    try {
      (void)agent.generateJson("anything");
      FAIL() << name << ": expected PluginCallError";
    } catch (const PluginCallError& e) {
      EXPECT_EQ(e.status(), P2J_INTERNAL) << name;
      expectContains(e.what(), "the agent returned a malformed spec");
    }
  }
}

// Pretty-printed JSON breaks the promise of the compact text (and would split a JSON Lines answer); read
// typed, the same spec is fine.
TEST(PluginLoading, ASpecTextWithLineBreaksIsNotPassedOn) {
  PluginCatalog catalog({kBrokenPluginDir});
  const auto library = catalog.find("broken-spec-lines");
  AgentPlugin agent("pretty", library, createInstance(*library, "pretty", "{}"));
  try {
    agent.generateJson("anything");
    FAIL() << "expected PluginCallError";
  } catch (const PluginCallError& e) {
    EXPECT_EQ(e.status(), P2J_INTERNAL);
    expectContains(e.what(), "a line break");
  }
  EXPECT_EQ(agent.generate("anything").category, "custom");
}

// agent-rules' text is passed on unread, so it must be what the SDK would write again from it: for every
// corpus prompt, reading the spec and writing it once more gives the same bytes.
TEST(PluginLoading, TheRuleAgentsSpecTextIsWhatTheSdkWrites) {
  PluginCatalog catalog({kPluginDir});
  const auto library = catalog.find("agent-rules");
  AgentPlugin agent("rules", library, createInstance(*library, "rules", "{}"));
  std::ifstream corpus(std::filesystem::path(testing::kSourceDir) / "tests" / "corpus" / "prompts.jsonl");
  ASSERT_TRUE(corpus);
  int designed = 0;
  for (std::string line; std::getline(corpus, line);) {
    if (line.empty()) continue;
    const std::string prompt = sdk::parseJson(line)["prompt"].GetString();
    try {
      const std::string text = agent.generateJson(prompt);
      ASSERT_EQ(sdk::serialize(sdk::designSpecFromJson(sdk::parseJson(text))), text) << prompt;
      ++designed;
    } catch (const PluginCallError& e) {
      ASSERT_EQ(e.status(), P2J_REFUSED) << prompt << ": " << e.what();
    }
  }
  EXPECT_GT(designed, 100);
}

// ABI 1.2 reports ok, degraded or down as a value; anything else cannot be trusted to serve.
TEST(PluginLoading, ReadsTheThreeHealthStates) {
  EXPECT_EQ(healthOf("good-raw-agent").state, sdk::HealthState::kOk);
  const HealthReport degraded = healthOf("degraded-raw-agent");
  EXPECT_EQ(degraded.state, sdk::HealthState::kDegraded);
  EXPECT_EQ(degraded.detail, R"({"spooled": 3})");
  const HealthReport down = healthOf("down-raw-agent");
  EXPECT_EQ(down.state, sdk::HealthState::kDown);
  expectContains(down.detail, "does not answer");
  const HealthReport unknown = healthOf("unknown-health-agent");
  EXPECT_EQ(unknown.state, sdk::HealthState::kDown);
  expectContains(unknown.detail, "unknown health state 7");
}

// Plugins built against 1.0/1.1 answered P2J_OK or an error, with "degraded": true in the detail for
// serving-but-not-fully; the host maps that onto the three states.
TEST(PluginLoading, MapsTheHealthOfAbi11PluginsOntoThreeStates) {
  EXPECT_EQ(healthOf("abi11-degraded-agent").state, sdk::HealthState::kDegraded);
  const HealthReport down = healthOf("abi11-down-agent");
  EXPECT_EQ(down.state, sdk::HealthState::kDown);
  expectContains(down.detail, "does not answer");
}

TEST(PluginLoading, AnAbi12PluginWithoutHealthV2IsRefused) {
  const std::string error = loadError("broken-no-health-v2");
  expectContains(error, "broken-no-health-v2.so");
  expectContains(error, "does not export the required symbol p2j_plugin_health_v2");
}

TEST(PluginLoading, OpensEachFileOnce) {
  PluginCatalog catalog({kBrokenPluginDir});
  EXPECT_EQ(catalog.find("good-raw-agent").get(), catalog.find("good-raw-agent").get());
}

TEST(PluginLoading, NotFoundNamesTheDirectories) {
  const std::string error = loadError("agent-nonexistent");
  expectContains(error, "plugin 'agent-nonexistent' not found");
  expectContains(error, kBrokenPluginDir);
}

TEST(PluginLoading, MissingInfoSymbolIsNotAP2jPlugin) {
  const std::string error = loadError("broken-no-info");
  expectContains(error, "broken-no-info.so");
  expectContains(error, "not a p2j plugin (it does not export p2j_plugin_info_v1)");
}

TEST(PluginLoading, WrongAbiMajorShowsBothVersions) {
  const std::string error = loadError("broken-abi-major");
  expectContains(error, "broken-abi-major.so");
  expectContains(error, "built for plugin ABI 99.");
  expectContains(error, "implements ABI " + std::to_string(P2J_ABI_MAJOR) + "." + std::to_string(P2J_ABI_MINOR));
}

TEST(PluginLoading, AbiMinorTooNewShowsBothVersions) {
  const std::string error = loadError("broken-abi-minor");
  expectContains(error, "broken-abi-minor.so");
  expectContains(error, "needs plugin ABI " + std::to_string(P2J_ABI_MAJOR) + "." + std::to_string(P2J_ABI_MINOR + 1));
}

TEST(PluginLoading, MissingPerKindSymbolNamesIt) {
  PluginCatalog catalog({kBrokenPluginDir});
  const auto library = catalog.find("broken-no-generate");
  const p2j_instance handle = createInstance(*library, "x", "{}");
  try {
    AgentPlugin agent("x", library, handle);
    FAIL() << "expected PluginLoadError";
  } catch (const PluginLoadError& e) {
    expectContains(e.what(), "broken-no-generate.so");
    expectContains(e.what(), "does not export the required symbol p2j_agent_generate_v2");
  }
}

TEST(PluginLoading, AKindNewerThanThePluginsAbiIsRefused) {
  const std::string error = loadError("broken-cache-old-abi");
  expectContains(error, "broken-cache-old-abi.so");
  expectContains(error, "declares plugin ABI 1.1 and the kind cache, which ABI 1.2 added");
}

TEST(PluginLoading, ACachePluginWithoutTheCacheCallsNamesTheMissingOne) {
  PluginCatalog catalog({kBrokenPluginDir});
  const auto library = catalog.find("broken-cache-no-calls");
  EXPECT_EQ(kindName(library->info().kind), "cache");
  const p2j_instance handle = createInstance(*library, "x", "{}");
  try {
    CachePlugin cache("x", library, handle);
    FAIL() << "expected PluginLoadError";
  } catch (const PluginLoadError& e) {
    expectContains(e.what(),
                   "the cache plugin 'broken-cache-no-calls' does not export the required symbol "
                   "p2j_cache_get_v1");
  }
}

// The cache kind (ABI 1.2) through the bundled plugin: bytes in and out, misses, TTLs, refusals, stats.
TEST(PluginLoading, LoadsACachePluginAndCallsIt) {
  PluginCatalog catalog({kPluginDir});
  const auto library = catalog.find("cache-memory");
  EXPECT_EQ(library->info().kind, P2J_KIND_CACHE);
  EXPECT_EQ(library->info().abi.minor, P2J_ABI_MINOR);
  CachePlugin cache("answers", library, createInstance(*library, "answers", R"({"max_bytes": 65536, "shards": 1})"));
  const std::string bytes("\0binary\xff", 8);
  cache.set("k", bytes, std::chrono::milliseconds(0));
  EXPECT_EQ(cache.get("k"), bytes);
  EXPECT_EQ(cache.get("missing"), std::nullopt);
  cache.set("short", "v", std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(cache.get("short"), std::nullopt);
  try {
    cache.set("huge", std::string(70000, 'x'), std::chrono::milliseconds(0));
    FAIL() << "a value larger than the cache was accepted";
  } catch (const PluginCallError& e) {
    EXPECT_EQ(e.status(), P2J_INVALID_INPUT);
  }
  EXPECT_TRUE(cache.erase("k"));
  EXPECT_FALSE(cache.erase("k"));
  const sdk::CacheStats stats = cache.stats();
  EXPECT_EQ(stats.backend, "memory");
  EXPECT_EQ(stats.hits, 1U);
  EXPECT_EQ(stats.misses, 2U);
  EXPECT_EQ(stats.sets, 2U);
  EXPECT_EQ(stats.deletes, 1U);
  EXPECT_EQ(stats.max_bytes, 65536U);
  EXPECT_FALSE(stats.connected);
}

TEST(PluginLoading, CreateFailureCarriesThePluginsMessage) {
  PluginCatalog catalog({kBrokenPluginDir});
  const auto library = catalog.find("broken-create-fails");
  try {
    createInstance(*library, "remote", "{}");
    FAIL() << "expected PluginLoadError";
  } catch (const PluginLoadError& e) {
    expectContains(e.what(), "broken-create-fails.so");
    expectContains(e.what(), "could not create instance 'remote'");
    expectContains(e.what(), "cannot reach the model server");
  }
}

TEST(PluginLoading, GarbageFileIsRefusedWithItsName) {
  testing::TempDir dir;
  dir.write("garbage.so", "this is not an ELF file");
  PluginCatalog catalog({dir.path()});
  try {
    catalog.find("garbage");
    FAIL() << "expected PluginLoadError";
  } catch (const PluginLoadError& e) {
    expectContains(e.what(), "garbage.so: cannot load the shared library");
  }
}

TEST(PluginLoading, ListShowsGoodAndBrokenPlugins) {
  PluginCatalog catalog({kBrokenPluginDir, kPluginDir});
  bool saw_sqlite = false;
  bool saw_broken = false;
  for (const auto& entry : catalog.list()) {
    if (entry.info && entry.info->name == "storage-sqlite") saw_sqlite = entry.info->kind == P2J_KIND_STORAGE;
    if (entry.file.filename() == "broken-abi-major.so") saw_broken = !entry.info && !entry.error.empty();
  }
  EXPECT_TRUE(saw_sqlite);
  EXPECT_TRUE(saw_broken);
}

}  // namespace
}  // namespace p2j::plugins
