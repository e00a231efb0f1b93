// agent-openai in the real binary against the scripted fake OpenAI server (tests/support/fake_openai_server.py):
// every branch of a generate() — valid, repaired, refused, slow, failing, truncated, over budget — and the
// breaker, the concurrency limit, TLS, and what is sent (the strict schema, the repair message, the key).
#include "fake_openai.hpp"
#include "metrics_text.hpp"
#include "server_process.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

namespace p2j::testing {
namespace {

using Clock = std::chrono::steady_clock;

const std::string kKey = "sk-fake-4f1c9a2b7d3e5f60718293a4b5c6d7e8";
const std::string kPrompt = R"({"prompt": "Design a 10-story office building with steel and glass, 40x30 m"})";

using LlmSettings = std::map<std::string, std::string>;

// The llm instance's config: the test defaults, with `overrides` (key -> YAML value) replacing or adding.
std::string llmConfig(const FakeOpenAiServer& fake, const LlmSettings& overrides = {}) {
  LlmSettings settings = {{"base_url", "\"" + fake.baseUrl() + "\""},
                          {"model", "fake-model"},
                          {"api_key_env", "P2J_TEST_LLM_KEY"},
                          {"timeout_ms", "1500"},
                          {"circuit_breaker", "{ failure_threshold: 1000 }"}};
  for (const auto& [key, value] : overrides) settings[key] = value;
  std::string config;
  for (const auto& [key, value] : settings) config += "      " + key + ": " + value + "\n";
  return R"(
server: { threads: 16 }
plugins:
  rules: { use: agent-rules }
  llm:
    use: agent-openai
    config:
)" + config +
         R"(
  answers: { use: cache-memory }
  db: { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
storage: db
endpoints:
  - { method: POST, path: /generate,     action: generate, agent: rules }
  - { method: POST, path: /cached/generate, action: generate, agent: llm, fallback: rules, cache: answers }
  - { method: POST, path: /llm/generate, action: generate, agent: llm }
  - { method: POST, path: /v2/generate,  action: generate, agent: llm, fallback: rules }
  - { method: GET,  path: "/specs/{id}", action: get_spec }
  - { method: GET,  path: /livez,        action: livez }
  - { method: GET,  path: /readyz,       action: readyz }
  - { method: GET,  path: /metrics,      action: metrics }
)";
}

rapidjson::Document json(const HttpResult& result) { return sdk::parseJson(result.body); }

std::string text(const rapidjson::Value& value) { return {value.GetString(), value.GetStringLength()}; }

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

class AgentOpenAiTest : public ::testing::Test {
 protected:
  void start(const LlmSettings& overrides = {}, bool tls = false) {
    fake_ = std::make_unique<FakeOpenAiServer>(tls);
    server_ = std::make_unique<ServerProcess>(llmConfig(*fake_, overrides),
                                              std::map<std::string, std::string>{{"P2J_TEST_LLM_KEY", kKey}});
    server_->start();
  }

  void TearDown() override {
    if (!server_) return;
    EXPECT_EQ(server_->stop(), 0) << server_->stderrText();
    // The key goes into the Authorization header and nowhere else.
    EXPECT_EQ(server_->stderrText().find(kKey), std::string::npos) << server_->stderrText();
    EXPECT_EQ(server_->stdoutText().find(kKey), std::string::npos);
  }

  HttpResult generate() const { return server_->request("POST", "/llm/generate", kPrompt); }
  HttpResult generateWithFallback() const { return server_->request("POST", "/v2/generate", kPrompt); }

  // A 200 from `agent`, with "fallback" saying whether it stood in; the stored spec names it too.
  void expectDesignedBy(const HttpResult& result, const std::string& agent, bool fallback) const {
    ASSERT_EQ(result.status, 200) << result.body;
    const auto body = json(result);
    EXPECT_EQ(text(body["agent"]), agent);
    EXPECT_EQ(body["fallback"].GetBool(), fallback);
    EXPECT_TRUE(body["success"].GetBool());
    EXPECT_EQ(text(body["spec"]["design_type"]), "building");
    const HttpResult stored = server_->request("GET", "/specs/" + text(body["spec_id"]));
    EXPECT_NE(stored.body.find("\"agent\":\"" + agent + "\""), std::string::npos) << stored.body;
  }

  // The body of the `index`-th chat request the fake server received.
  rapidjson::Document sentBody(size_t index) const {
    const rapidjson::Document requests = fake_->requests();
    EXPECT_GT(requests.Size(), index);
    rapidjson::Document body;
    body.CopyFrom(requests[static_cast<rapidjson::SizeType>(index)]["body"], body.GetAllocator());
    return body;
  }

  void expectUnavailable(const HttpResult& result) const {
    EXPECT_EQ(result.status, 503) << result.body;
    EXPECT_EQ(text(json(result)["error"]), "service_unavailable");
    EXPECT_EQ(result.header("Retry-After"), "5");
  }

  std::unique_ptr<FakeOpenAiServer> fake_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(AgentOpenAiTest, AValidAnswerIsTheSpec) {
  start();
  fake_->script({"\"valid\""});
  const HttpResult result = generate();
  ASSERT_EQ(result.status, 200) << result.body;
  const auto body = json(result);
  const auto& spec = body["spec"];
  EXPECT_EQ(text(spec["design_type"]), "building");
  EXPECT_EQ(spec["stories"].GetInt(), 10);
  EXPECT_EQ(sdk::toJsonText(spec["materials"][0]["properties"]), R"({"finish":"galvanized"})")
      << "the strict schema's name/value list is an object again";
  EXPECT_EQ(sdk::toJsonText(spec["performance"]["other_specs"]), R"({"floor_load":"5 kPa"})");
  EXPECT_FALSE(text(spec["timestamp"]).empty());
  const HttpResult stored = server_->request("GET", "/specs/" + text(body["spec_id"]));
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_NE(stored.body.find(R"("agent":"llm")"), std::string::npos) << stored.body;
  EXPECT_EQ(fake_->requestCount(), 1u);
}

TEST_F(AgentOpenAiTest, TheRequestAsksForStrictSchemaOutputWithTheKey) {
  start({{"temperature", "0.3"}, {"max_tokens", "1000"}});
  fake_->script({"\"valid\""});
  ASSERT_EQ(generate().status, 200);
  const rapidjson::Document requests = fake_->requests();
  ASSERT_EQ(requests.Size(), 1u);
  EXPECT_EQ(text(requests[0]["path"]), "/v1/chat/completions");
  EXPECT_EQ(text(requests[0]["headers"]["authorization"]), "Bearer " + kKey);
  EXPECT_EQ(text(requests[0]["headers"]["content-type"]), "application/json");
  const auto& body = requests[0]["body"];
  EXPECT_EQ(text(body["model"]), "fake-model");
  EXPECT_DOUBLE_EQ(body["temperature"].GetDouble(), 0.3);
  EXPECT_EQ(body["max_tokens"].GetInt(), 1000);
  ASSERT_EQ(body["messages"].Size(), 2u);
  EXPECT_EQ(text(body["messages"][0]["role"]), "system");
  EXPECT_NE(text(body["messages"][0]["content"]).find("design specification"), std::string::npos);
  EXPECT_EQ(text(body["messages"][1]["role"]), "user");
  EXPECT_EQ(text(body["messages"][1]["content"]), "Design a 10-story office building with steel and glass, 40x30 m");
  const auto& format = body["response_format"];
  EXPECT_EQ(text(format["type"]), "json_schema");
  EXPECT_EQ(text(format["json_schema"]["name"]), "design_spec");
  EXPECT_TRUE(format["json_schema"]["strict"].GetBool());
  const auto& schema = format["json_schema"]["schema"];
  EXPECT_FALSE(schema["additionalProperties"].GetBool());
  EXPECT_FALSE(schema["properties"].HasMember("timestamp")) << "the agent sets the time itself";
  EXPECT_EQ(schema["required"].Size(), schema["properties"].MemberCount());
  EXPECT_FALSE(schema.HasMember("allOf"));
}

TEST_F(AgentOpenAiTest, AnInvalidAnswerGetsOneRepairRoundWithOnlyItsLastError) {
  start();
  fake_->script({"\"invalid\"", "\"valid\""});
  const HttpResult result = generate();
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(text(json(result)["spec"]["design_type"]), "building");
  ASSERT_EQ(fake_->requestCount(), 2u);
  const auto first = sentBody(0);
  const auto repair = sentBody(1);
  const auto& messages = repair["messages"];
  ASSERT_EQ(messages.Size(), 4u) << "system, prompt, the invalid answer, the error";
  EXPECT_EQ(sdk::toJsonText(messages[0]), sdk::toJsonText(first["messages"][0]));
  EXPECT_EQ(sdk::toJsonText(messages[1]), sdk::toJsonText(first["messages"][1]));
  EXPECT_EQ(text(messages[2]["role"]), "assistant");
  EXPECT_EQ(sdk::toJsonText(sdk::parseJson(text(messages[2]["content"]))["materials"]), "[]");
  EXPECT_EQ(text(messages[3]["role"]), "user");
  const std::string error = text(messages[3]["content"]);
  EXPECT_NE(error.find("not a valid design specification: materials"), std::string::npos) << error;
  EXPECT_LT(error.size(), 500u);
  EXPECT_EQ(sdk::toJsonText(repair["response_format"]), sdk::toJsonText(first["response_format"]));
}

TEST_F(AgentOpenAiTest, AnswersThatAreNotJsonAreRepairedToo) {
  start();
  fake_->script({"\"prose\"", "\"valid\""});
  ASSERT_EQ(generate().status, 200);
  const auto repair = sentBody(1);
  EXPECT_NE(text(repair["messages"][3]["content"]).find("not JSON"), std::string::npos);
}

TEST_F(AgentOpenAiTest, StillInvalidAfterTheRepairIsUnavailableAfterExactlyTwoCalls) {
  start();
  fake_->script({"\"invalid\""}, "\"invalid\"");
  expectUnavailable(generate());
  EXPECT_EQ(fake_->requestCount(), 2u) << "one repair round, no more";
  EXPECT_NE(server_->stderrText().find("invalid answer after one repair round"), std::string::npos);
}

TEST_F(AgentOpenAiTest, ARefusalIs422WithoutARepair) {
  start();
  fake_->script({"\"refusal\""});
  const HttpResult result = generate();
  EXPECT_EQ(result.status, 422) << result.body;
  const auto body = json(result);
  EXPECT_EQ(text(body["error"]), "prompt_refused");
  EXPECT_NE(text(body["message"]).find("I can only help with design requests."), std::string::npos);
  EXPECT_EQ(fake_->requestCount(), 1u);

  fake_->script({"\"filtered\""});
  const HttpResult filtered = generate();
  EXPECT_EQ(filtered.status, 422) << filtered.body;
  EXPECT_NE(text(json(filtered)["message"]).find("content filter"), std::string::npos);
  EXPECT_EQ(fake_->requestCount(), 1u);
}

TEST_F(AgentOpenAiTest, ASlowServerTimesOutAtTheDeadline) {
  start();
  fake_->script({R"({"mode": "slow", "delay": 8})"});
  const auto begin = Clock::now();
  expectUnavailable(generate());
  const double elapsed = secondsSince(begin);
  EXPECT_GE(elapsed, 1.4);
  EXPECT_LT(elapsed, 6.0) << "timeout_ms is 1500, the answer would take 8 s";
  EXPECT_NE(server_->stderrText().find("no answer within timeout_ms (1500 ms)"), std::string::npos);
}

TEST_F(AgentOpenAiTest, TheDeadlineCoversBothRounds) {
  start();
  fake_->script({R"({"mode": "invalid", "delay": 0.9})", R"({"mode": "valid", "delay": 0.9})"});
  const auto begin = Clock::now();
  expectUnavailable(generate());  // each round alone would fit in timeout_ms
  EXPECT_LT(secondsSince(begin), 6.0);
  EXPECT_EQ(fake_->requestCount(), 2u);
}

TEST_F(AgentOpenAiTest, ServerErrorsAndGarbageAreUnavailableWithoutARepair) {
  start();
  fake_->script({"\"error500\""});
  expectUnavailable(generate());
  EXPECT_EQ(fake_->requestCount(), 1u);
  const std::string log = server_->stderrText();
  EXPECT_NE(log.find("answered HTTP 500 (type server_error, code fake_failure)"), std::string::npos) << log;
  EXPECT_EQ(log.find("the fake model fell over"), std::string::npos) << "the server's error text is not logged";

  fake_->script({"\"garbage\""});
  expectUnavailable(generate());
  EXPECT_EQ(fake_->requestCount(), 1u);
  EXPECT_NE(server_->stderrText().find("not a chat completion"), std::string::npos);
}

TEST_F(AgentOpenAiTest, ATruncatedAnswerIsRepairedWithoutBeingRepeated) {
  start();
  fake_->script({"\"truncated\"", "\"valid\""});
  ASSERT_EQ(generate().status, 200);
  const auto repair = sentBody(1);
  ASSERT_EQ(repair["messages"].Size(), 3u) << "system, prompt, the error: the cut-off text is not sent back";
  EXPECT_NE(text(repair["messages"][2]["content"]).find("cut off at 2048 tokens"), std::string::npos);

  fake_->script({"\"truncated\""}, "\"truncated\"");
  expectUnavailable(generate());
  EXPECT_EQ(fake_->requestCount(), 2u);
}

TEST_F(AgentOpenAiTest, TheTokenBudgetBoundsTheRepairRound) {
  start();
  // The first round used 9000 of 12000 tokens: the repair may only ask for what is left after its prompt.
  fake_->script({R"({"mode": "invalid", "total_tokens": 9000})", "\"valid\""});
  ASSERT_EQ(generate().status, 200);
  const int repair_max_tokens = sentBody(1)["max_tokens"].GetInt();
  EXPECT_EQ(sentBody(0)["max_tokens"].GetInt(), 2048);
  EXPECT_LT(repair_max_tokens, 2048);
  EXPECT_GE(repair_max_tokens, 256);

  // 11500 used: no room for a repair at all.
  fake_->script({R"({"mode": "invalid", "total_tokens": 11500})"});
  expectUnavailable(generate());
  EXPECT_EQ(fake_->requestCount(), 1u);
  EXPECT_NE(server_->stderrText().find("no room for a repair round"), std::string::npos);
}

TEST_F(AgentOpenAiTest, APromptBeyondTheTokenBudgetIs422WithoutACall) {
  start({{"token_budget", "4096"}, {"max_tokens", "1024"}});
  fake_->script({"\"valid\""});
  const std::string prompt(9000, 'a');
  const HttpResult result = server_->request("POST", "/llm/generate", R"({"prompt": ")" + prompt + "\"}");
  EXPECT_EQ(result.status, 422) << result.body;
  EXPECT_NE(text(json(result)["message"]).find("too long for this agent"), std::string::npos);
  EXPECT_EQ(fake_->requestCount(), 0u);
}

TEST_F(AgentOpenAiTest, TheCircuitOpensFailsFastAndClosesAfterAProbe) {
  start({{"circuit_breaker", "{ failure_threshold: 2, open_seconds: 1 }"}});
  fake_->script({"\"error500\"", "\"error500\""});
  expectUnavailable(generate());
  expectUnavailable(generate());
  EXPECT_EQ(fake_->requestCount(), 2u);

  const auto begin = Clock::now();
  expectUnavailable(generate());
  EXPECT_LT(secondsSince(begin), 1.0) << "an open circuit answers at once";
  EXPECT_EQ(fake_->requestCount(), 2u) << "and does not call the server";
  EXPECT_NE(server_->stderrText().find("circuit open after 2 consecutive failures"), std::string::npos);
  const HttpResult ready = server_->request("GET", "/readyz");
  EXPECT_EQ(ready.status, 200) << "an open circuit degrades, it does not take the server out of rotation";
  EXPECT_EQ(text(json(ready)["checks"]["llm"]), "degraded");

  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const HttpResult probe = generate();
  EXPECT_EQ(probe.status, 200) << probe.body;
  EXPECT_EQ(fake_->requestCount(), 3u);
  EXPECT_EQ(text(json(server_->request("GET", "/readyz"))["checks"]["llm"]), "ok");
  EXPECT_EQ(generate().status, 200);
}

TEST_F(AgentOpenAiTest, AFailedProbeOpensTheCircuitAgain) {
  start({{"circuit_breaker", "{ failure_threshold: 1, open_seconds: 1 }"}});
  fake_->script({"\"error500\"", "\"error500\""});
  expectUnavailable(generate());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  expectUnavailable(generate());  // the probe fails
  expectUnavailable(generate());  // open again: not sent
  EXPECT_EQ(fake_->requestCount(), 2u);
}

TEST_F(AgentOpenAiTest, BeyondMaxInFlightCallsFailAtOnce) {
  start({{"max_in_flight", "1"}, {"timeout_ms", "8000"}});
  fake_->script({R"({"mode": "slow", "delay": 2.5})"});
  HttpResult slow;
  std::thread first([&] { slow = generate(); });
  const auto wait_until = Clock::now() + std::chrono::seconds(5);
  while (fake_->requestCount() == 0 && Clock::now() < wait_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto begin = Clock::now();
  const HttpResult refused = generate();
  const double elapsed = secondsSince(begin);
  first.join();
  expectUnavailable(refused);
  EXPECT_LT(elapsed, 1.5) << "refused at once, not after the 2.5 s call in flight";
  EXPECT_EQ(slow.status, 200) << slow.body;
  EXPECT_EQ(fake_->requestCount(), 1u) << "the refused call never reached the server";
  EXPECT_NE(server_->stderrText().find("1 calls already in flight (max_in_flight)"), std::string::npos);
}

TEST_F(AgentOpenAiTest, JsonObjectModePutsTheSchemaIntoTheSystemPrompt) {
  start({{"response_format", "json_object"}, {"max_tokens_field", "max_completion_tokens"}});
  fake_->script({"\"valid\""});
  ASSERT_EQ(generate().status, 200);
  const auto body = sentBody(0);
  EXPECT_EQ(sdk::toJsonText(body["response_format"]), R"({"type":"json_object"})");
  EXPECT_EQ(body["max_completion_tokens"].GetInt(), 2048);
  EXPECT_FALSE(body.HasMember("max_tokens"));
  const std::string system = text(body["messages"][0]["content"]);
  EXPECT_NE(system.find("follows this JSON Schema"), std::string::npos);
  EXPECT_NE(system.find("\"design_type\""), std::string::npos);
}

TEST_F(AgentOpenAiTest, HttpsWithThePrivateCaOfTheServer) {
  fake_ = std::make_unique<FakeOpenAiServer>(true);
  server_ =
      std::make_unique<ServerProcess>(llmConfig(*fake_, {{"ca_file", "\"" + fake_->certificate().string() + "\""}}),
                                      std::map<std::string, std::string>{{"P2J_TEST_LLM_KEY", kKey}});
  server_->start();
  fake_->script({"\"valid\""});
  const HttpResult result = generate();
  EXPECT_EQ(result.status, 200) << result.body << server_->stderrText();
  EXPECT_EQ(fake_->requestCount(), 1u);
}

TEST_F(AgentOpenAiTest, HttpsRefusesACertificateItDoesNotTrust) {
  start({}, true);
  fake_->script({"\"valid\""});
  expectUnavailable(generate());
  EXPECT_EQ(fake_->requestCount(), 0u) << "nothing, not even the key, was sent to an untrusted server";
  EXPECT_NE(server_->stderrText().find("cannot be reached"), std::string::npos);
}

TEST_F(AgentOpenAiTest, TheLlmAnswersWhenItCanAndSaysSo) {
  start();
  fake_->script({"\"valid\""});
  expectDesignedBy(generateWithFallback(), "llm", false);
  expectDesignedBy(server_->request("POST", "/generate", kPrompt), "rules", false);
  EXPECT_EQ(fake_->requestCount(), 1u);
}

TEST_F(AgentOpenAiTest, TheFallbackAnswersWhenTheServerFails) {
  start();
  fake_->script({"\"error500\""});
  expectDesignedBy(generateWithFallback(), "rules", true);
  EXPECT_NE(server_->stderrText().find("agent 'llm' is unavailable"), std::string::npos);
  EXPECT_NE(server_->stderrText().find("agent 'rules' designs instead"), std::string::npos);
  fake_->script({"\"garbage\""});
  expectDesignedBy(generateWithFallback(), "rules", true);
  fake_->script({"\"error500\""});
  expectUnavailable(generate());  // an endpoint without a fallback still answers 503
  const std::string metrics = server_->request("GET", "/metrics").body;
  EXPECT_EQ(seriesValue(metrics, R"(agent_fallbacks_total{agent="llm",fallback="rules",handler="/v2/generate"})"), 2)
      << metrics;
  EXPECT_EQ(metrics.find(R"(agent_fallbacks_total{agent="llm",fallback="rules",handler="/llm/generate"})"),
            std::string::npos)
      << "an endpoint without a fallback has no series";
  EXPECT_EQ(seriesValue(metrics, R"(spec_generations_total{agent="llm",success="false"})"), 3);
  EXPECT_EQ(seriesValue(metrics, R"(spec_generations_total{agent="rules",success="true"})"), 2);
}

// The cache holds the endpoint's agent's answers only: a fallback's spec is never served as the LLM's.
TEST_F(AgentOpenAiTest, AFallbacksAnswerIsNotCached) {
  start();
  const auto cached = [this] { return server_->request("POST", "/cached/generate", kPrompt); };
  fake_->script({"\"error500\""});
  expectDesignedBy(cached(), "rules", true);
  fake_->script({"\"valid\""});
  expectDesignedBy(cached(), "llm", false);
  EXPECT_EQ(fake_->requestCount(), 1u) << "the fallback's spec was taken from the cache";
  fake_->script({"\"valid\""});  // counts from nothing again
  expectDesignedBy(cached(), "llm", false);
  EXPECT_EQ(fake_->requestCount(), 0u) << "the LLM's own answer was not cached";
}

TEST_F(AgentOpenAiTest, TheFallbackAnswersOnATimeout) {
  start();
  fake_->script({R"({"mode": "slow", "delay": 8})"});
  const auto begin = Clock::now();
  expectDesignedBy(generateWithFallback(), "rules", true);
  EXPECT_LT(secondsSince(begin), 6.0) << "timeout_ms is 1500, the answer would take 8 s";
}

TEST_F(AgentOpenAiTest, TheFallbackAnswersAnInvalidOutput) {
  start();
  fake_->script({"\"invalid\"", "\"truncated\""});
  expectDesignedBy(generateWithFallback(), "rules", true);
  EXPECT_EQ(fake_->requestCount(), 2u) << "the repair round came first";
}

TEST_F(AgentOpenAiTest, TheFallbackAnswersWhileTheCircuitIsOpen) {
  start({{"circuit_breaker", "{ failure_threshold: 1, open_seconds: 30 }"}});
  fake_->script({"\"error500\""});
  expectDesignedBy(generateWithFallback(), "rules", true);
  expectDesignedBy(generateWithFallback(), "rules", true);
  EXPECT_EQ(fake_->requestCount(), 1u) << "the open circuit kept the second prompt from the server";
}

TEST_F(AgentOpenAiTest, ARefusalDoesNotFallBack) {
  start();
  fake_->script({"\"refusal\""});
  const HttpResult result = generateWithFallback();
  EXPECT_EQ(result.status, 422) << result.body;
  EXPECT_EQ(text(json(result)["error"]), "prompt_refused");
  const std::string metrics = server_->request("GET", "/metrics").body;
  EXPECT_EQ(seriesValue(metrics, R"(agent_fallbacks_total{agent="llm",fallback="rules",handler="/v2/generate"})"), 0)
      << metrics;
}

TEST(AgentOpenAiExample, TheExampleConfigChecks) {
  const ProcessResult result = runProcess(
      {kP2jBinary, "check-config", (std::filesystem::path(kSourceDir) / "config/examples/llm.yaml").string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST(AgentOpenAiExample, TheExampleConfigServesBothAgents) {
  FakeOpenAiServer fake;
  const std::string api_key = "example-test-key-0123456789";
  std::ifstream file(std::filesystem::path(kSourceDir) / "config/examples/llm.yaml");
  const std::string example((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ServerProcess server(example, {{"P2J_LLM_BASE_URL", fake.baseUrl()},
                                 {"P2J_LLM_MODEL", "fake-model"},
                                 {"OPENAI_API_KEY", kKey},
                                 {"P2J_API_KEY", api_key}});
  server.start();
  const Headers auth = {{"X-API-Key", api_key}};
  fake.script({"\"valid\"", "\"error500\""});
  const HttpResult llm = server.request("POST", "/v2/generate", kPrompt, auth);
  ASSERT_EQ(llm.status, 200) << llm.body;
  EXPECT_EQ(text(json(llm)["agent"]), "llm");
  const HttpResult fallback = server.request("POST", "/v2/generate", kPrompt, auth);
  ASSERT_EQ(fallback.status, 200) << fallback.body;
  EXPECT_EQ(text(json(fallback)["agent"]), "rules");
  EXPECT_TRUE(json(fallback)["fallback"].GetBool());
  const HttpResult rules = server.request("POST", "/generate", kPrompt, auth);
  ASSERT_EQ(rules.status, 200) << rules.body;
  EXPECT_EQ(text(json(rules)["agent"]), "rules");
  EXPECT_EQ(fake.requestCount(), 2u);
  EXPECT_EQ(server.request("POST", "/v2/generate", kPrompt).status, 401);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(server.stderrText().find(kKey), std::string::npos);
}

TEST(AgentOpenAiServer, AnUnreachableServerIsUnavailable) {
  const std::string closed_url = "http://127.0.0.1:" + std::to_string(freePort());
  ServerProcess server(R"(
plugins:
  llm: { use: agent-openai, config: { base_url: ")" +
                       closed_url +
                       R"(", model: m, timeout_ms: 2000 } }
  db: { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
storage: db
endpoints:
  - { method: POST, path: /llm/generate, action: generate, agent: llm }
  - { method: GET, path: /livez, action: livez }
)");
  server.start();
  const HttpResult result = server.request("POST", "/llm/generate", kPrompt);
  EXPECT_EQ(result.status, 503) << result.body;
  EXPECT_NE(server.stderrText().find("cannot be reached"), std::string::npos);
  EXPECT_EQ(server.stop(), 0);
}

TEST(AgentOpenAiConfig, AMissingKeyStopsStartUpNamingTheVariable) {
  FakeOpenAiServer fake;
  ServerProcess server(llmConfig(fake));  // P2J_TEST_LLM_KEY unset
  EXPECT_THROW(server.start(), std::runtime_error);
  EXPECT_NE(server.stderrText().find("api_key_env: P2J_TEST_LLM_KEY is not set"), std::string::npos)
      << server.stderrText();
}

TEST(AgentOpenAiConfig, AMalformedKeyFileStopsStartUpWithoutShowingTheKey) {
  FakeOpenAiServer fake;
  TempDir dir;
  const auto key_file = dir.write("llm-key", kKey + "\n" + kKey + "\n");
  std::string config = llmConfig(fake, {{"api_key_file", "\"" + key_file.string() + "\""}});
  config.erase(config.find("      api_key_env: P2J_TEST_LLM_KEY\n"),
               std::string("      api_key_env: P2J_TEST_LLM_KEY\n").size());
  ServerProcess server(config);
  EXPECT_THROW(server.start(), std::runtime_error);
  const std::string err = server.stderrText();
  EXPECT_NE(err.find("must hold one API key on one line"), std::string::npos) << err;
  EXPECT_EQ(err.find(kKey), std::string::npos) << err;
}

TEST(AgentOpenAiConfig, ConfigMistakesAreReportedWithTheirLine) {
  TempDir dir;
  const auto file = dir.write("p2j.yaml", R"(plugins:
  llm:
    use: agent-openai
    config:
      base_url: "http://127.0.0.1:1"
      model: m
      max_in_flight: 0
endpoints:
  - { method: POST, path: /v2/generate, action: generate, agent: llm }
)");
  const ProcessResult result = runProcess({kP2jBinary, "check-config", file.string()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find(file.string() + ":7:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("max_in_flight"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace p2j::testing
