// The evaluate / iterate / learn / coordinate endpoints against the real binary (tests/data/pipelines.yaml:
// agent-rules, evaluator-criteria, SQLite, no auth), including their error paths and the original's own
// user journey.
#include "server_process.hpp"
#include "spec_schema.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <numeric>
#include <regex>
#include <sstream>

namespace p2j::testing {
namespace {

std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string pipelineConfig() {
  return readText(std::filesystem::path(kSourceDir) / "tests" / "data" / "pipelines.yaml");
}

// The labelled corpus (tests/corpus); P2J_CORPUS points elsewhere.
std::filesystem::path corpusFile() {
  if (const char* configured = std::getenv("P2J_CORPUS"); configured != nullptr && *configured != '\0') {
    return configured;
  }
  return std::filesystem::path(kSourceDir) / "tests" / "corpus" / "prompts.jsonl";
}

rapidjson::Document json(const HttpResult& result) { return sdk::parseJson(result.body); }

std::string str(const rapidjson::Value& value) { return {value.GetString(), value.GetStringLength()}; }

// A JSON string literal for `text`.
std::string quoted(const std::string& text) {
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  sdk::writeString(writer, text);
  return buffer.GetString();
}

rapidjson::Document expectError(const HttpResult& result, int status, const std::string& code) {
  EXPECT_EQ(result.status, status) << result.body;
  rapidjson::Document body = json(result);
  EXPECT_TRUE(body.IsObject()) << result.body;
  if (!body.IsObject()) return body;
  EXPECT_EQ(str(body["error"]), code) << result.body;
  EXPECT_EQ(body["status_code"].GetInt(), status);
  return body;
}

void expectKeys(const rapidjson::Value& object, std::initializer_list<const char*> keys) {
  ASSERT_TRUE(object.IsObject());
  for (const char* key : keys) EXPECT_TRUE(object.HasMember(key)) << "missing key " << key;
}

// Stored records have time-ordered ids (version 7).
const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

class PipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(pipelineConfig());
    server_->start();
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->stop(), 0);
    delete server_;
  }

  static HttpResult post(const std::string& path, const std::string& body) {
    return server_->request("POST", path, body);
  }
  static HttpResult get(const std::string& path) { return server_->request("GET", path); }

  // A spec as /generate makes it.
  static std::string generatedSpec(const std::string& prompt) {
    const auto result = post("/generate", R"({"prompt": )" + quoted(prompt) + "}");
    EXPECT_EQ(result.status, 200) << result.body;
    return sdk::toJsonText(json(result)["spec"]);
  }

  static ServerProcess* server_;
};

ServerProcess* PipelineTest::server_ = nullptr;

TEST_F(PipelineTest, TheOriginalsUserJourney) {
  // generate "Sustainable office building" -> evaluate it -> iterate 2 -> fetch the report -> fetch the iterations
  const auto generated = post("/generate", R"({"prompt": "Sustainable office building"})");
  ASSERT_EQ(generated.status, 200) << generated.body;
  const auto generated_body = json(generated);
  expectKeys(generated_body, {"spec", "success", "message"});
  const std::string spec = sdk::toJsonText(generated_body["spec"]);

  const auto evaluated = post("/evaluate", R"({"spec": )" + spec + R"(, "prompt": "Sustainable office building"})");
  ASSERT_EQ(evaluated.status, 200) << evaluated.body;
  const auto evaluation_body = json(evaluated);
  expectKeys(evaluation_body, {"report_id", "evaluation", "success", "message"});
  EXPECT_TRUE(evaluation_body["success"].GetBool());
  EXPECT_EQ(str(evaluation_body["message"]), "Evaluation completed successfully");
  expectKeys(evaluation_body["evaluation"],
             {"score", "completeness", "format_validity", "feasibility", "feedback", "suggestions", "timestamp"});
  const std::string report_id = str(evaluation_body["report_id"]);
  EXPECT_TRUE(std::regex_match(report_id, kUuid)) << report_id;

  const auto iterated = post("/iterate", R"({"prompt": "Sustainable office building", "n_iter": 2})");
  ASSERT_EQ(iterated.status, 200) << iterated.body;
  const auto session = json(iterated);
  expectKeys(session, {"success", "session_id", "prompt", "total_iterations", "iterations", "final_spec",
                       "learning_insights", "message"});
  EXPECT_EQ(session["total_iterations"].GetInt(), 2);
  EXPECT_EQ(str(session["message"]), "RL training completed with 2 iterations");
  const auto& rounds = session["iterations"];
  ASSERT_EQ(rounds.Size(), 2u);
  for (const auto& round : rounds.GetArray()) {
    expectKeys(round, {"iteration_number", "iteration_id", "before", "after", "evaluation", "feedback", "reward",
                       "improvement"});
    expectKeys(round["before"], {"spec", "score"});
    expectKeys(round["after"], {"spec", "score"});
    expectKeys(round["feedback"], {"feedback_type", "suggestions", "confidence", "source"});
  }
  EXPECT_TRUE(rounds[0]["before"]["spec"].IsNull());
  EXPECT_DOUBLE_EQ(rounds[0]["before"]["score"].GetDouble(), 0);
  EXPECT_DOUBLE_EQ(rounds[0]["improvement"].GetDouble(), 0);
  // The generated office building lacks features and dimensions (84); one round adds both (100).
  EXPECT_DOUBLE_EQ(rounds[0]["after"]["score"].GetDouble(), 84);
  EXPECT_DOUBLE_EQ(rounds[0]["reward"].GetDouble(), 1.68);
  EXPECT_DOUBLE_EQ(rounds[1]["after"]["score"].GetDouble(), 100);
  EXPECT_DOUBLE_EQ(rounds[1]["improvement"].GetDouble(), 16);
  EXPECT_DOUBLE_EQ(rounds[1]["reward"].GetDouble(), 1.16);
  EXPECT_FALSE(rounds[1]["after"]["spec"]["features"].Empty());
  EXPECT_STREQ(rounds[1]["after"]["spec"]["performance"]["other_specs"]["estimated_dimensions"].GetString(),
               "length, width, height, area");

  const auto report = get("/reports/" + report_id);
  ASSERT_EQ(report.status, 200) << report.body;
  const auto report_body = json(report);
  EXPECT_TRUE(report_body["success"].GetBool());
  expectKeys(report_body["report"], {"report_id", "spec", "evaluation"});
  expectKeys(report_body["report"]["spec"], {"id", "prompt", "spec_data", "created_at"});
  expectKeys(report_body["report"]["evaluation"], {"id", "eval_data", "score", "created_at"});
  EXPECT_EQ(str(report_body["report"]["report_id"]), report_id);
  EXPECT_DOUBLE_EQ(report_body["report"]["evaluation"]["score"].GetDouble(),
                   evaluation_body["evaluation"]["score"].GetDouble());
  EXPECT_EQ(str(report_body["report"]["spec"]["spec_data"]["category"]), "commercial");

  const std::string session_id = str(session["session_id"]);
  const auto iterations = get("/iterations/" + session_id);
  ASSERT_EQ(iterations.status, 200) << iterations.body;
  const auto logs = json(iterations);
  expectKeys(logs, {"success", "session_id", "total_iterations", "iterations"});
  EXPECT_EQ(str(logs["session_id"]), session_id);
  ASSERT_EQ(logs["total_iterations"].GetInt(), 2);
  for (rapidjson::SizeType i = 0; i < 2; ++i) {
    const auto& stored = logs["iterations"][i];
    expectKeys(stored, {"session_id", "iteration", "prompt", "spec_before", "spec_after", "evaluation", "feedback",
                        "score_before", "score_after", "reward", "timestamp"});
    EXPECT_EQ(stored["iteration"].GetInt(), static_cast<int>(i) + 1);
    EXPECT_EQ(str(stored["iteration_id"]), str(rounds[i]["iteration_id"]));
    EXPECT_DOUBLE_EQ(stored["reward"].GetDouble(), rounds[i]["reward"].GetDouble());
  }
}

TEST_F(PipelineTest, EvaluateScoresTheUniversalSpecAsItIs) {
  // A vehicle keeps its type and category (the original scored it as a "general" building).
  const std::string spec = generatedSpec("Design a luxury car with GPS and leather seats, 4.5m long");
  const auto result = post("/evaluate", R"({"spec": )" + spec + R"(, "prompt": "car"})");
  ASSERT_EQ(result.status, 200) << result.body;
  const auto body = json(result);
  EXPECT_DOUBLE_EQ(body["evaluation"]["completeness"].GetDouble(), 100) << result.body;
  EXPECT_EQ(str(body["grade"]), "A");
  EXPECT_TRUE(std::regex_match(str(body["spec_id"]), kUuid));
}

// The original's clients post the legacy building schema; it is scored as the building it describes.
TEST_F(PipelineTest, EvaluateAcceptsTheOriginalsLegacySpecs) {
  const auto legacy = post("/evaluate", R"({"prompt": "office", "spec": {"building_type": "office", "stories": 5,
                                            "materials": ["steel", "glass"]}})");
  ASSERT_EQ(legacy.status, 200) << legacy.body;
  const auto report = json(get("/reports/" + str(json(legacy)["report_id"])));
  const auto& stored = report["report"]["spec"]["spec_data"];
  EXPECT_EQ(str(stored["design_type"]), "building");
  EXPECT_EQ(str(stored["category"]), "commercial");
  EXPECT_EQ(str(stored["materials"][1]["type"]), "glass");
  EXPECT_EQ(post("/evaluate", R"({"prompt": "x", "spec": {}})").status, 200);
}

// The spec and its report are one transaction: when the database refuses the report (a trigger an operator
// added, here), /evaluate answers 422 and keeps no spec either; a /generate beside it still stores its spec.
TEST(EvaluateTransaction, AReportTheDatabaseRefusesLeavesNoSpecBehind) {
  ServerProcess server(pipelineConfig());
  server.start();
  ASSERT_EQ(server.request("POST", "/generate", R"({"prompt": "Design a two-story house"})").status, 200);
  const std::string database = (server.dataDir() / "p2j.db").string();
  auto count = [&](const char* table) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, (std::string("SELECT COUNT(*) FROM ") + table).c_str(), -1, &statement, nullptr);
    const int64_t rows = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : -1;
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return rows;
  };
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(database.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db,
                           "CREATE TRIGGER refuse_reports BEFORE INSERT ON evaluations"
                           " BEGIN SELECT RAISE(ABORT, 'reports are refused'); END",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  const auto refused =
      server.request("POST", "/evaluate", R"({"prompt": "office", "spec": {"building_type": "office", "stories": 5}})");
  expectError(refused, 422, "validation_error");
  EXPECT_EQ(refused.body.find("reports are refused"), std::string::npos)
      << "the trigger's text is the schema's, not the client's: " << refused.body;
  EXPECT_NE(refused.body.find("the database refused the values"), std::string::npos) << refused.body;
  EXPECT_EQ(count("specs"), 1);
  EXPECT_EQ(count("evaluations"), 0);
  const auto after = server.request("POST", "/generate", R"({"prompt": "Design a wooden barn, 20x10 m"})");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(count("specs"), 2);
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(PipelineTest, EvaluateRejectsBadBodiesWith422) {
  expectError(post("/evaluate", R"({"prompt": "x"})"), 422, "validation_error");
  expectError(post("/evaluate", R"({"spec": {"design_type": "building"}})"), 422, "validation_error");
  expectError(post("/evaluate", R"([1, 2])"), 422, "validation_error");
  // A wrong field is a 422 naming its path, never a 500.
  auto body =
      expectError(post("/evaluate", R"({"spec": {"design_type": "building", "stories": "abc"}, "prompt": "x"})"), 422,
                  "validation_error");
  EXPECT_EQ(str(body["field"]), "spec.stories");
  body = expectError(
      post("/evaluate", R"({"spec": {"design_type": "building", "materials": [{"grade": "A36"}]}, "prompt": "x"})"),
      422, "validation_error");
  EXPECT_EQ(str(body["field"]), "spec.materials[0].type");
  // A legacy spec is read leniently, but a wrong field in it is still a 422 naming its path.
  body = expectError(post("/evaluate", R"({"spec": {"building_type": "office", "stories": "three"}, "prompt": "x"})"),
                     422, "validation_error");
  EXPECT_EQ(str(body["field"]), "spec.stories");
}

TEST_F(PipelineTest, UnknownReportsAndSessionsAre404) {
  expectError(get("/reports/00000000-0000-4000-8000-000000000000"), 404, "not_found");
  expectError(get("/reports/not-a-uuid"), 404, "not_found");
  expectError(get("/iterations/00000000-0000-4000-8000-000000000000"), 404, "not_found");
  expectError(get("/iterations/whatever"), 404, "not_found");
  expectError(get("/iterations/%FF%FE"), 404, "not_found");
  expectError(get("/reports/%00"), 404, "not_found");
}

TEST_F(PipelineTest, BatchEvaluateGivesEachPromptItsOwnResult) {
  const auto result =
      post("/batch-evaluate", R"(["Office building", "Tell me a joke about cars", 42, "Warehouse facility"])");
  ASSERT_EQ(result.status, 200) << result.body;
  const auto body = json(result);
  expectKeys(body, {"success", "results", "count", "message"});
  EXPECT_FALSE(body["success"].GetBool());
  EXPECT_EQ(body["count"].GetInt(), 4);
  EXPECT_EQ(body["failed"].GetInt(), 2);
  EXPECT_EQ(str(body["message"]), "Batch processed 4 prompts (2 failed)");
  const auto& results = body["results"];
  EXPECT_TRUE(results[0]["success"].GetBool());
  expectKeys(results[0], {"prompt", "spec", "evaluation", "report_id", "spec_id"});
  EXPECT_EQ(str(results[0]["prompt"]), "Office building");
  EXPECT_EQ(str(results[1]["error"]["error"]), "prompt_refused");
  EXPECT_EQ(results[1]["error"]["status_code"].GetInt(), 422);
  EXPECT_TRUE(results[2]["prompt"].IsNull());
  EXPECT_EQ(str(results[2]["error"]["error"]), "validation_error");
  EXPECT_EQ(str(results[3]["spec"]["category"]), "industrial");
  // Each evaluated item is a stored report.
  EXPECT_EQ(get("/reports/" + str(results[0]["report_id"])).status, 200);

  // A prompt no storage can keep (a NUL character) fails its own item; the others are still stored.
  const auto mixed = post("/batch-evaluate", R"(["Design a house\u0000", "Office building"])");
  ASSERT_EQ(mixed.status, 200) << mixed.body;
  const auto mixed_body = json(mixed);
  EXPECT_TRUE(mixed_body["results"][0]["prompt"].IsNull());
  EXPECT_EQ(str(mixed_body["results"][0]["error"]["error"]), "validation_error");
  EXPECT_TRUE(mixed_body["results"][1]["success"].GetBool());

  const auto empty = json(post("/batch-evaluate", "[]"));
  EXPECT_EQ(empty["count"].GetInt(), 0);
  EXPECT_TRUE(empty["success"].GetBool());
}

TEST_F(PipelineTest, BatchEvaluateIsBounded) {
  auto body =
      expectError(post("/batch-evaluate", R"(["a house", "a house", "a house", "a house", "a house", "a house"])"), 413,
                  "payload_too_large");
  EXPECT_NE(str(body["message"]).find("at most 5 prompts"), std::string::npos) << str(body["message"]);
  expectError(post("/batch-evaluate", R"({"prompts": ["a house"]})"), 422, "validation_error");
}

TEST_F(PipelineTest, IterateIsBoundedAndValidated) {
  expectError(post("/iterate", R"({"prompt": "Office building", "n_iter": 7})"), 422, "validation_error");
  expectError(post("/iterate", R"({"prompt": "Office building", "n_iter": 0})"), 422, "validation_error");
  expectError(post("/iterate", R"({"prompt": "Office building", "n_iter": 2.5})"), 422, "validation_error");
  expectError(post("/iterate", R"({"n_iter": 2})"), 422, "validation_error");
  // Refused before any round runs: no storage could keep the prompt.
  auto nul =
      expectError(post("/iterate", R"({"prompt": "Office building\u0000", "n_iter": 2})"), 422, "validation_error");
  EXPECT_EQ(str(nul["field"]), "prompt");
  expectError(post("/iterate", R"({"prompt": "What's the weather like today?"})"), 422, "prompt_refused");
  // The original's lax models took "2" for 2.
  EXPECT_EQ(post("/iterate", R"({"prompt": "Office building", "n_iter": "2"})").status, 200);
}

TEST_F(PipelineTest, IterateStopsEarlyAtTheTargetOrWhenNothingGains) {
  // The default n_iter is 3, but the office reaches 100 (the target) in round 2.
  auto body = json(post("/iterate", R"({"prompt": "Office building"})"));
  EXPECT_EQ(body["total_iterations"].GetInt(), 2) << sdk::toJsonText(body);
  EXPECT_EQ(str(body["stop_reason"]), "target_reached");
  EXPECT_DOUBLE_EQ(body["final_score"].GetDouble(), 100);
  // A bridge is a general design: the agent adds features but knows no size, and then has nothing more.
  body = json(post("/iterate", R"({"prompt": "Design a bridge", "n_iter": 6})"));
  EXPECT_LT(body["total_iterations"].GetInt(), 6) << sdk::toJsonText(body);
  EXPECT_NE(str(body["stop_reason"]), "budget");
  EXPECT_NE(str(body["stop_reason"]), "target_reached");
}

TEST_F(PipelineTest, IterateNeverEndsBelowItsFirstScoreOnTheCorpusAndKeepsTheSchema) {
  std::ifstream corpus(corpusFile());
  if (!corpus) GTEST_SKIP() << "no corpus at " << corpusFile() << " (set P2J_CORPUS)";
  const rapidjson::Document schema_document =
      sdk::parseJson(readText(std::filesystem::path(kSourceDir) / "sdk" / "schemas" / "design-spec.schema.json"));
  const SpecSchema schema(schema_document);
  int building_prompts = 0;
  for (std::string line; std::getline(corpus, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto entry = sdk::parseJson(line);
    const auto* design_type = sdk::findMember(entry["expect"], "design_type");
    if (design_type == nullptr || str(*design_type) != "building") continue;
    ++building_prompts;
    const auto result = post("/iterate", R"({"prompt": )" + quoted(str(entry["prompt"])) + R"(, "n_iter": 3})");
    ASSERT_EQ(result.status, 200) << str(entry["id"]) << ": " << result.body;
    const auto body = json(result);
    const auto& rounds = body["iterations"];
    const double first = rounds[0]["after"]["score"].GetDouble();
    EXPECT_GE(body["final_score"].GetDouble(), first) << str(entry["id"]);
    EXPECT_GE(rounds[rounds.Size() - 1]["after"]["score"].GetDouble(), first) << str(entry["id"]);
    // What the agent estimated or added keeps the spec valid.
    for (const auto& round : rounds.GetArray()) {
      EXPECT_EQ(schema.violations(round["after"]["spec"]), "") << str(entry["id"]);
    }
  }
  EXPECT_GT(building_prompts, 20);
}

TEST_F(PipelineTest, AdvancedRlLearnsOverEpisodes) {
  std::vector<double> totals;
  rapidjson::Document last;
  for (int episode = 0; episode < 20; ++episode) {
    const auto result = post("/advanced-rl", R"({"prompt": "Design a hospital building", "n_iter": 2})");
    ASSERT_EQ(result.status, 200) << result.body;
    last = json(result);
    totals.push_back(last["total_reward"].GetDouble());
  }
  expectKeys(last, {"success", "prompt", "steps", "actions_chosen", "rewards", "final_score", "total_reward", "policy",
                    "message"});
  EXPECT_EQ(str(last["message"]), "Advanced RL training completed");
  EXPECT_EQ(last["policy"]["episodes"].GetInt(), 20);
  EXPECT_EQ(str(last["policy"]["algorithm"]), "REINFORCE");
  expectKeys(last["policy"]["probabilities"],
             {"add_features", "add_dimensions", "add_materials", "refine_requirements"});
  const auto& step = last["steps"][0];
  expectKeys(step, {"step", "action", "probability", "reward", "advantage", "score_before", "score_after"});

  const double first = std::accumulate(totals.begin(), totals.begin() + 10, 0.0) / 10;
  const double second = std::accumulate(totals.begin() + 10, totals.end(), 0.0) / 10;
  EXPECT_GT(second, first) << "mean reward of episodes 1-10: " << first << ", 11-20: " << second;
  // What it learned: the two actions that gain points outweigh the two that cannot.
  const auto& p = last["policy"]["probabilities"];
  EXPECT_GT(p["add_features"].GetDouble() + p["add_dimensions"].GetDouble(), 0.5);

  // Every step is stored under the episode id.
  const auto stored = json(get("/iterations/" + str(last["episode_id"])));
  EXPECT_EQ(stored["total_iterations"].GetInt(), static_cast<int>(last["steps"].Size()) + 1);
}

TEST_F(PipelineTest, AdvancedRlValidatesItsBody) {
  expectError(post("/advanced-rl", R"({"prompt": "Office building", "n_iter": 11})"), 422, "validation_error");
  expectError(post("/advanced-rl", R"({"prompt": 5})"), 422, "validation_error");
  expectError(post("/advanced-rl", R"({"prompt": "Tell me a joke"})"), 422, "prompt_refused");
}

TEST_F(PipelineTest, CoordinatedImprovementSucceedsOnlyAtTheTarget) {
  auto result = post("/coordinated-improvement", R"({"prompt": "Eco-friendly residential complex"})");
  ASSERT_EQ(result.status, 200) << result.body;
  auto body = json(result);
  expectKeys(body, {"success", "result", "message"});
  expectKeys(body["result"],
             {"success", "agents_used", "iterations", "final_spec", "improvements", "coordination_time", "timestamp"});
  EXPECT_TRUE(body["success"].GetBool());
  EXPECT_TRUE(body["result"]["success"].GetBool());
  EXPECT_GE(body["result"]["final_score"].GetDouble(), 90);
  EXPECT_EQ(str(body["result"]["improvements"][0]).rfind("Initial score: ", 0), 0u);
  EXPECT_EQ(get("/iterations/" + str(body["result"]["session_id"])).status, 200);

  // A general design cannot reach 90 with what the agent knows: no success, and the list says why.
  result = post("/coordinated-improvement", R"({"prompt": "Design a bridge"})");
  ASSERT_EQ(result.status, 200) << result.body;
  body = json(result);
  EXPECT_TRUE(body["success"].GetBool()) << "the request itself succeeded, as in the original";
  EXPECT_FALSE(body["result"]["success"].GetBool());
  const auto& improvements = body["result"]["improvements"];
  EXPECT_EQ(str(improvements[improvements.Size() - 1]).rfind("Stopped at ", 0), 0u) << result.body;

  expectError(post("/coordinated-improvement", R"({})"), 422, "validation_error");
}

TEST_F(PipelineTest, FeedbackIsStoredForAnExistingSpec) {
  const auto generated = json(post("/generate", R"({"prompt": "Design a wooden chair"})"));
  const std::string spec_id = str(generated["spec_id"]);
  const auto result = post("/feedback", R"({"spec_id": ")" + spec_id + R"(", "rating": 4, "comment": "good"})");
  ASSERT_EQ(result.status, 200) << result.body;
  const auto body = json(result);
  EXPECT_TRUE(body["success"].GetBool());
  EXPECT_TRUE(std::regex_match(str(body["feedback_id"]), kUuid));
  EXPECT_EQ(body["rating"].GetInt(), 4);

  expectError(post("/feedback", R"({"spec_id": "00000000-0000-4000-8000-000000000000", "rating": 3})"), 404,
              "not_found");
  for (const char* bad : {R"({"spec_id": "x"})", R"({"rating": 3})", R"({"spec_id": "x", "rating": 6})",
                          R"({"spec_id": "x", "rating": 0})", R"({"spec_id": "x", "rating": "great"})",
                          R"({"spec_id": "x", "rating": 3, "comment": 5})"}) {
    expectError(post("/feedback", bad), 422, "validation_error");
  }
}

TEST_F(PipelineTest, LearningInsightsComeFromStorage) {
  const auto body = json(post("/iterate", R"({"prompt": "Design a school building", "n_iter": 2})"));
  const auto& insights = body["learning_insights"];
  expectKeys(insights, {"total_iterations", "average_score", "score_trend", "average_reward", "best_iteration",
                        "best_round", "common_successful_patterns", "action_effectiveness", "user_feedback"});
  EXPECT_TRUE(insights["best_iteration"].IsInt()) << "the original's best_iteration is a round number";
  EXPECT_EQ(str(insights["design_type"]), "building");
  EXPECT_GE(insights["total_iterations"].GetInt(), 2);
  EXPECT_TRUE(insights["action_effectiveness"].HasMember("all_feedback"));
}

TEST_F(PipelineTest, LogValuesStoresTheEntryAndAppendsALine) {
  const auto result = post("/log-values", R"({"date": "2026-01-05", "day": "Monday", "task": "Wrote tests\nFORGED",
      "values_reflection": {"honesty": "reported the gaps"}, "achievements": {"tests": 12}, "technical_notes": null})");
  ASSERT_EQ(result.status, 200) << result.body;
  const auto body = json(result);
  expectKeys(body, {"success", "hidg_id", "message", "file"});
  EXPECT_EQ(str(body["message"]), "Values logged successfully");
  EXPECT_EQ(str(body["file"]), "daily_log.txt");
  const std::string log = readText(server_->dataDir() / "daily_log.txt");
  EXPECT_NE(log.find("VALUES - 2026-01-05 (Monday): Wrote tests FORGED - id:" + str(body["hidg_id"])),
            std::string::npos)
      << log;
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1);

  expectError(post("/log-values", R"({"date": "d", "day": "d", "task": "t"})"), 422, "validation_error");
  expectError(post("/log-values", R"({"date": "d", "day": "d", "task": "t", "values_reflection": {"a": 1}})"), 422,
              "validation_error");
  expectError(
      post("/log-values", R"({"date": "d", "day": "d", "task": "t", "values_reflection": {}, "achievements": []})"),
      422, "validation_error");
}

TEST_F(PipelineTest, PruneLogsChecksRetentionDays) {
  for (const char* bad : {"0", "-3", "abc", "", "1.5", "36501"}) {
    expectError(post(std::string("/prune-logs?retention_days=") + bad, ""), 422, "validation_error");
  }
  const auto result = post("/prune-logs?retention_days=1", "");
  ASSERT_EQ(result.status, 200) << result.body;
  const auto body = json(result);
  EXPECT_TRUE(body["success"].GetBool());
  EXPECT_EQ(body["retention_days"].GetInt(), 1);
  for (const char* collection : {"feedback", "iterations", "value_logs"}) {
    expectKeys(body["results"][collection], {"pruned", "remaining", "message"});
    EXPECT_EQ(body["results"][collection]["pruned"].GetInt(), 0);  // nothing here is a day old
  }
  EXPECT_EQ(body["results"]["total_pruned"].GetInt(), 0);
  EXPECT_EQ(str(body["message"]), "Log pruning completed - 0 entries removed");
  EXPECT_EQ(json(post("/prune-logs", ""))["retention_days"].GetInt(), 30);
}

TEST_F(PipelineTest, InformationEndpoints) {
  auto body = json(get("/"));
  EXPECT_EQ(str(body["message"]), "Prompt-to-JSON API");
  expectKeys(body, {"version", "status", "features"});

  body = json(get("/agent-status"));
  EXPECT_TRUE(body["success"].GetBool());
  for (const char* agent : {"prompt", "evaluator", "rl", "feedback"}) EXPECT_EQ(str(body["agents"][agent]), "✅ Ready");
  EXPECT_EQ(body["coordination_metrics"]["total_agents"].GetInt(), 4);
  EXPECT_EQ(body["coordination_metrics"]["improvement_actions"].Size(), 4u);

  const auto before = json(get("/basic-metrics"));
  expectKeys(before, {"generated_specs", "evaluation_reports", "log_files", "active_sessions", "timestamp"});
  const auto test = get("/system-test");
  ASSERT_EQ(test.status, 200) << test.body;
  body = json(test);
  EXPECT_TRUE(body["success"].GetBool());
  EXPECT_EQ(body["tests_passed"].Size(), 3u);
  EXPECT_EQ(str(body["message"]), "All core tests passed");
  // The system test stores nothing.
  const auto after = json(get("/basic-metrics"));
  EXPECT_EQ(after["generated_specs"].GetInt(), before["generated_specs"].GetInt());
  EXPECT_EQ(after["evaluation_reports"].GetInt(), before["evaluation_reports"].GetInt());

  post("/generate", R"({"prompt": "Design a desk"})");
  EXPECT_EQ(json(get("/basic-metrics"))["generated_specs"].GetInt(), before["generated_specs"].GetInt() + 1);

  body = json(get("/system-overview"));
  expectKeys(body, {"success", "system_info", "health", "agents", "cache", "metrics", "performance", "endpoints",
                    "timestamp"});
  // Measured, not the original's targets: the overview itself is in flight, and each request answered since
  // the last overview (that one included) is counted.
  const uint64_t requests_before = body["performance"]["requests"].GetUint64();
  EXPECT_GE(body["performance"]["in_flight"].GetInt64(), 1);
  EXPECT_GT(body["performance"]["response_time_ms"]["p95"].GetDouble(), 0.0);
  for (int i = 0; i < 3; ++i) get("/basic-metrics");
  body = json(get("/system-overview"));
  EXPECT_EQ(body["performance"]["requests"].GetUint64(), requests_before + 4);
  EXPECT_EQ(body["performance"]["server_errors"].GetUint64(), 0U);
  EXPECT_EQ(str(body["health"]["status"]), "healthy");
  EXPECT_EQ(str(body["cache"]["cache_type"]), "none") << "this configuration names no cache";
  EXPECT_EQ(body["endpoints"]["total_endpoints"].GetInt(), 20);
}

// An agent without improve() or actions still serves the loop (one round, then nothing to change), but
// there is nothing for a learner to choose between.
TEST(PipelineAgentTest, AnAgentThatCannotImprove) {
  ServerProcess server(std::string("plugin_dirs: [\"") + kBrokenPluginDir + R"("]
plugins:
  raw:      { use: good-raw-agent }
  criteria: { use: evaluator-criteria }
  reviewer: { use: feedback-heuristic }
  db:       { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
storage: db
endpoints:
  - { method: POST, path: /iterate,      action: iterate, agent: raw, evaluator: criteria, feedback: reviewer }
  - { method: POST, path: /advanced-rl,  action: advanced_rl, agent: raw, evaluator: criteria, feedback: reviewer }
  - { method: GET,  path: /agent-status, action: agent_status, agent: raw, evaluator: criteria, feedback: reviewer }
)");
  server.start();
  const auto iterated = server.request("POST", "/iterate", R"({"prompt": "anything", "n_iter": 3})");
  ASSERT_EQ(iterated.status, 200) << iterated.body;
  EXPECT_EQ(json(iterated)["total_iterations"].GetInt(), 1);
  EXPECT_EQ(str(json(iterated)["stop_reason"]), "nothing_to_change");
  expectError(server.request("POST", "/advanced-rl", R"({"prompt": "anything"})"), 501, "not_implemented");
  EXPECT_EQ(str(json(server.request("GET", "/agent-status"))["agents"]["rl"]), "❌ Unavailable");
  EXPECT_EQ(server.stop(), 0);
}

// Agents act on the evaluator's findings, not its wording: with every text for people replaced, /iterate
// improves each spec exactly as much, round by round. An evaluator built against ABI 1.1 gives no findings;
// agent-rules then fills the gaps it sees in the spec, and /iterate still improves.
TEST(PipelineEvaluatorTest, IterateImprovesOnFindingsWhateverTheMessagesSay) {
  ServerProcess server(std::string("plugin_dirs: [\"") + kBrokenPluginDir + R"("]
plugins:
  rules:    { use: agent-rules }
  criteria: { use: evaluator-criteria }
  reworded: { use: reworded-evaluator }
  legacy:   { use: legacy-evaluator }
  reviewer: { use: feedback-heuristic }
  db:       { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
storage: db
endpoints:
  - { method: POST, path: /iterate,          action: iterate, agent: rules, evaluator: criteria, feedback: reviewer }
  - { method: POST, path: /iterate-reworded, action: iterate, agent: rules, evaluator: reworded, feedback: reviewer }
  - { method: POST, path: /iterate-legacy,   action: iterate, agent: rules, evaluator: legacy, feedback: reviewer }
  - { method: POST, path: /evaluate,         action: evaluate, evaluator: criteria }
  - { method: GET,  path: "/reports/{id}",   action: get_report }
  - { method: GET,  path: "/iterations/{session_id}", action: get_iterations }
)");
  server.start();
  const auto iterate = [&](const std::string& path, const std::string& prompt) {
    const auto result = server.request("POST", path, R"({"prompt": )" + quoted(prompt) + R"(, "n_iter": 4})");
    EXPECT_EQ(result.status, 200) << path << ": " << result.body;
    return json(result);
  };
  const auto scores = [](const rapidjson::Document& session) {
    std::vector<double> after;
    for (const auto& round : session["iterations"].GetArray()) after.push_back(round["after"]["score"].GetDouble());
    return after;
  };
  for (const std::string prompt :
       {"Sustainable office building", "Design a modern residential apartment", "Design a hospital building",
        "Design a luxury car", "Design a smart fridge", "Design an ergonomic office chair", "Design a laptop",
        "Design a bridge", "Design a 60-story wooden tower"}) {
    const auto original = iterate("/iterate", prompt);
    const auto reworded = iterate("/iterate-reworded", prompt);
    ASSERT_TRUE(original.HasMember("iterations") && reworded.HasMember("iterations")) << prompt;
    EXPECT_EQ(scores(reworded), scores(original)) << prompt;
    EXPECT_TRUE(reworded["final_spec"]["features"] == original["final_spec"]["features"]) << prompt;
    EXPECT_TRUE(reworded["final_spec"]["dimensions"] == original["final_spec"]["dimensions"]) << prompt;
    EXPECT_TRUE(reworded["final_spec"]["materials"] == original["final_spec"]["materials"]) << prompt;
    // The reworded texts did reach the agent: nothing it could have read names a field.
    for (const auto& feedback : reworded["iterations"][0]["evaluation"]["feedback"].GetArray()) {
      EXPECT_EQ(str(feedback).rfind("Hinweis ", 0), 0u) << str(feedback);
    }
    const auto legacy = iterate("/iterate-legacy", prompt);
    ASSERT_TRUE(legacy.HasMember("iterations")) << prompt;
    EXPECT_FALSE(legacy["iterations"][0]["evaluation"].HasMember("findings")) << prompt;
    EXPECT_GE(legacy["final_score"].GetDouble(), scores(legacy).front()) << prompt;
  }
  // The generated office lacks features and dimensions (84); one round adds both (100), whichever evaluator.
  for (const std::string path : {"/iterate", "/iterate-reworded", "/iterate-legacy"}) {
    EXPECT_EQ(scores(iterate(path, "Sustainable office building")), (std::vector<double>{84, 100})) << path;
  }

  // Findings are stored with the evaluation: in the report and in the iteration log.
  const std::string spec = sdk::toJsonText(iterate("/iterate", "Design a bridge")["iterations"][0]["after"]["spec"]);
  const auto evaluated = json(server.request("POST", "/evaluate", R"({"spec": )" + spec + R"(, "prompt": "p"})"));
  const auto report = json(server.request("GET", "/reports/" + str(evaluated["report_id"])));
  const auto& findings = report["report"]["evaluation"]["eval_data"]["findings"];
  ASSERT_TRUE(findings.IsArray()) << sdk::toJsonText(report);
  ASSERT_FALSE(findings.Empty());
  EXPECT_EQ(str(findings[0]["criterion"]), "completeness.type_dimensions");
  EXPECT_EQ(str(findings[0]["field"]), "dimensions");
  EXPECT_EQ(str(findings[0]["action"]), "add");
  EXPECT_TRUE(evaluated["evaluation"]["findings"] == findings);
  const auto session = iterate("/iterate-reworded", "Design a laptop");
  const auto logs = json(server.request("GET", "/iterations/" + str(session["session_id"])));
  EXPECT_TRUE(logs["iterations"][0]["evaluation"]["findings"] == session["iterations"][0]["evaluation"]["findings"])
      << sdk::toJsonText(logs);
  EXPECT_EQ(server.stop(), 0);
}

// Nothing the pipelines learn lives only in memory: a restarted server continues the stored policy and
// reports the stored history.
TEST(PipelineRestartTest, PoliciesAndInsightsSurviveARestart) {
  TempDir data;
  const std::map<std::string, std::string> env{{"P2J_DATA_DIR", (data.path() / "data").string()}};
  const std::string rl = R"({"prompt": "Design a warehouse", "n_iter": 2})";
  const std::string iterate = R"({"prompt": "Design a warehouse", "n_iter": 2})";
  int64_t stored_iterations = 0;
  {
    ServerProcess first(pipelineConfig(), env);
    first.start();
    for (int i = 0; i < 3; ++i) ASSERT_EQ(first.request("POST", "/advanced-rl", rl).status, 200);
    const auto body = json(first.request("POST", "/iterate", iterate));
    stored_iterations = body["learning_insights"]["total_iterations"].GetInt64();
    EXPECT_GE(stored_iterations, 3 + 2);
    EXPECT_EQ(first.stop(), 0);
  }
  ServerProcess second(pipelineConfig(), env);
  second.start();
  const auto episode = json(second.request("POST", "/advanced-rl", rl));
  EXPECT_EQ(episode["policy"]["episodes"].GetInt(), 4);
  const auto body = json(second.request("POST", "/iterate", iterate));
  EXPECT_GT(body["learning_insights"]["total_iterations"].GetInt64(), stored_iterations);
  EXPECT_EQ(second.stop(), 0);
}

}  // namespace
}  // namespace p2j::testing
