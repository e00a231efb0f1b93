// What an operator reads: /metrics (Prometheus text, checked by promtool) and the logs (text or JSON lines,
// levels per logger, rotated files, the request id on every line), from the real binary.
#include "metrics_text.hpp"
#include "server_process.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace p2j::testing {
namespace {

constexpr const char* kApiKey = "observability-test-key-0123456789";
constexpr const char* kPrompt = R"({"prompt": "Design a 10-story office building with steel and glass, 40x30 m"})";

std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) result.push_back(line);
  }
  return result;
}

constexpr const char* kMetricsConfig = R"(
server: { threads: 8 }
auth: { default: [key] }
plugins:
  rules:    { use: agent-rules }
  criteria: { use: evaluator-criteria }
  db:       { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
  key:      { use: auth-apikey }
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules, rate_limit: 1000/minute }
  - { method: POST, path: /evaluate, action: evaluate, evaluator: criteria }
  - { method: GET,  path: "/specs/{id}", action: get_spec, auth: none, rate_limit: 2/minute }
  - { method: GET,  path: /livez, action: livez }
  - { method: GET,  path: /metrics, action: metrics }
  - { method: GET,  path: /private-metrics, action: metrics, auth: [key] }
)";

class MetricsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(kMetricsConfig, {{"P2J_API_KEY", kApiKey}});
    server_->start();
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->stop(), 0);
    delete server_;
  }
  static HttpResult withKey(const std::string& method, const std::string& path, const std::string& body = "") {
    return server_->request(method, path, body, {{"X-API-Key", kApiKey}});
  }
  static std::string scrape() {
    const auto result = server_->request("GET", "/metrics");
    EXPECT_EQ(result.status, 200) << result.body;
    return result.body;
  }
  static ServerProcess* server_;
};

ServerProcess* MetricsTest::server_ = nullptr;

TEST_F(MetricsTest, PublicByDefaultInPrometheusTextFormat) {
  const auto result = server_->request("GET", "/metrics");  // no key, although auth.default is [key]
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(result.body.find("# TYPE http_requests_total counter\n"), std::string::npos) << result.body;
}

TEST_F(MetricsTest, AnEndpointCanRequireAuth) {
  EXPECT_EQ(server_->request("GET", "/private-metrics").status, 401);
  const auto allowed = withKey("GET", "/private-metrics");
  EXPECT_EQ(allowed.status, 200);
  EXPECT_NE(allowed.body.find("process_resident_memory_bytes"), std::string::npos);
}

TEST_F(MetricsTest, CountsRequestsByRouteTemplateMethodAndStatus) {
  const std::string before = scrape();
  const auto generated = withKey("POST", "/generate", kPrompt);
  ASSERT_EQ(generated.status, 200) << generated.body;
  const std::string id = sdk::parseJson(generated.body)["spec_id"].GetString();
  EXPECT_EQ(server_->request("GET", "/specs/" + id).status, 200);
  EXPECT_EQ(server_->request("GET", "/specs/" + id).status, 200);
  EXPECT_EQ(server_->request("GET", "/specs/" + id).status, 429);  // 2/minute
  EXPECT_EQ(withKey("POST", "/generate", R"({"prompt": "hello there"})").status, 422);
  EXPECT_EQ(server_->request("GET", "/no/such/path").status, 404);
  EXPECT_EQ(server_->request("BREW", "/livez").status, 405);
  const std::string after = scrape();

  auto grew = [&](const std::string& series) {
    return seriesValue(after, series).value_or(0) - seriesValue(before, series).value_or(0);
  };
  EXPECT_EQ(grew(R"(http_requests_total{handler="/generate",method="POST",status="200"})"), 1) << after;
  EXPECT_EQ(grew(R"(http_requests_total{handler="/generate",method="POST",status="422"})"), 1);
  EXPECT_EQ(grew(R"(http_requests_total{handler="/specs/{id}",method="GET",status="200"})"), 2);
  EXPECT_EQ(grew(R"(http_requests_total{handler="/specs/{id}",method="GET",status="429"})"), 1);
  EXPECT_EQ(grew(R"(rate_limit_rejections_total{handler="/specs/{id}"})"), 1);
  EXPECT_EQ(grew(R"(http_requests_total{handler="none",method="GET",status="404"})"), 1);
  EXPECT_EQ(grew(R"(http_requests_total{handler="none",method="other",status="405"})"), 1);
  EXPECT_EQ(grew(R"(http_request_duration_seconds_count{handler="/generate",method="POST"})"), 2);
  EXPECT_EQ(grew(R"(http_request_size_bytes_sum{handler="/generate"})"),
            std::string(kPrompt).size() + std::string(R"({"prompt": "hello there"})").size());
  EXPECT_GE(grew(R"(http_response_size_bytes_sum{handler="/generate"})"), generated.body.size());
  // The scrape that reads the gauge is the one request in progress.
  EXPECT_EQ(seriesValue(after, R"(http_requests_inprogress{handler="/metrics",method="GET"})"), 1);
  EXPECT_EQ(seriesValue(after, R"(http_requests_inprogress{handler="/generate",method="POST"})"), 0);
}

TEST_F(MetricsTest, CountsGenerationsEvaluationsAndPluginCalls) {
  const std::string before = scrape();
  ASSERT_EQ(withKey("POST", "/generate", kPrompt).status, 200);
  ASSERT_EQ(withKey("POST", "/generate", R"({"prompt": "what is the weather like"})").status, 422);
  const auto evaluated =
      withKey("POST", "/evaluate",
              R"({"prompt": "office", "spec": {"building_type": "office", "stories": 5, "materials": ["steel"]}})");
  ASSERT_EQ(evaluated.status, 200) << evaluated.body;
  const double score = sdk::parseJson(evaluated.body)["evaluation"]["score"].GetDouble();
  const std::string after = scrape();
  auto grew = [&](const std::string& series) {
    return seriesValue(after, series).value_or(0) - seriesValue(before, series).value_or(0);
  };
  EXPECT_EQ(grew(R"(spec_generations_total{agent="rules",success="true"})"), 1) << after;
  EXPECT_EQ(grew(R"(spec_generations_total{agent="rules",success="false"})"), 1);
  // The generation and the health check of one scrape (each scrape checks every instance's health).
  EXPECT_EQ(grew(R"(plugin_calls_total{kind="agent",outcome="ok",plugin="rules"})"), 2);
  EXPECT_EQ(grew(R"(plugin_calls_total{kind="agent",outcome="refused",plugin="rules"})"), 1);
  EXPECT_EQ(grew(R"(plugin_call_duration_seconds_count{kind="agent",plugin="rules"})"), 3);
  EXPECT_EQ(grew(R"(evaluation_scores_count{evaluator="criteria"})"), 1);
  EXPECT_NEAR(grew(R"(evaluation_scores_sum{evaluator="criteria"})"), score, 1e-6);
  EXPECT_EQ(grew(R"(storage_operation_duration_seconds_count{operation="insert",storage="db"})"), 1);  // the spec
  // The evaluation's spec and report, in one call.
  EXPECT_EQ(grew(R"(storage_operation_duration_seconds_count{operation="insert_all",storage="db"})"), 1);
  EXPECT_GE(grew(R"(plugin_calls_total{kind="auth",outcome="ok",plugin="key"})"), 3);
}

TEST_F(MetricsTest, ProcessAndPluginHealthAreReadWhenScraped) {
  ASSERT_EQ(withKey("POST", "/generate", kPrompt).status, 200);
  const std::string body = scrape();
  EXPECT_GE(seriesValue(body, R"(storage_wal_pages{storage="db"})").value_or(0), 1) << "after a commit";
  EXPECT_GT(seriesValue(body, "process_resident_memory_bytes").value_or(0), 1e6) << body;
  EXPECT_GT(seriesValue(body, "process_open_fds").value_or(0), 3);
  EXPECT_GT(seriesValue(body, "process_max_fds").value_or(0), 0);
  EXPECT_GT(seriesValue(body, "process_threads").value_or(0), 1);
  EXPECT_GE(seriesValue(body, "process_cpu_seconds_total").value_or(-1), 0);
  const double started = seriesValue(body, "process_start_time_seconds").value_or(0);
  EXPECT_NEAR(started, static_cast<double>(std::time(nullptr)), 600);
  EXPECT_EQ(seriesValue(body, R"(plugin_up{kind="storage",plugin="db"})"), 1);
  EXPECT_EQ(seriesValue(body, R"(plugin_degraded{kind="storage",plugin="db"})"), 0);
  EXPECT_EQ(seriesValue(body, R"(plugin_up{kind="agent",plugin="rules"})"), 1);
  EXPECT_EQ(seriesValue(body, R"(p2j_build_info{version=")" + std::string(P2J_TEST_VERSION) + "\"}"), 1);
}

TEST_F(MetricsTest, PromtoolFindsNothingToComplainAbout) {
  ASSERT_EQ(withKey("POST", "/generate", kPrompt).status, 200);
  const std::string body = scrape();
  const auto checked = runProcess({"/usr/bin/promtool", "check", "metrics"}, {}, body);
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
  EXPECT_EQ(checked.out + checked.err, "");
}

// The spool depth comes from storage-postgres's own health detail: with no PostgreSQL where the connection
// points, every acknowledged insert waits in the spool, and /metrics says how many.
TEST(SpoolMetrics, StoragePostgresSpoolDepthFromItsHealthDetail) {
  ServerProcess server(
      "plugins:\n  rules: { use: agent-rules }\n"
      "  db:    { use: storage-postgres, config: { connection: \"postgresql://p2j@127.0.0.1:" +
      std::to_string(freePort()) +
      "/p2j\", connect_timeout_seconds: 2, replay_interval_ms: 60000 } }\n"
      "storage: db\n"
      "endpoints:\n"
      "  - { method: POST, path: /generate, action: generate, agent: rules }\n"
      "  - { method: GET,  path: /livez, action: livez }\n"
      "  - { method: GET,  path: /metrics, action: metrics }\n");
  server.start(std::chrono::seconds(30));
  for (int i = 0; i < 3; ++i) ASSERT_EQ(server.request("POST", "/generate", kPrompt).status, 200);
  const std::string body = server.request("GET", "/metrics").body;
  EXPECT_EQ(seriesValue(body, R"(storage_spool_depth{storage="db"})"), 3) << body;
  EXPECT_EQ(seriesValue(body, R"(storage_spool_rejected{storage="db"})"), 0);
  EXPECT_EQ(seriesValue(body, R"(plugin_degraded{kind="storage",plugin="db"})"), 1);
  EXPECT_EQ(seriesValue(body, R"(plugin_up{kind="storage",plugin="db"})"), 1);
  EXPECT_EQ(seriesValue(body, R"(storage_operation_duration_seconds_count{operation="insert",storage="db"})"), 3);
  EXPECT_EQ(server.stop(), 0);
}

TEST(MetricsConfig, TheMetricsActionNeedsMetricsEnabled) {
  TempDir dir;
  const auto file = dir.write("p2j.yaml", R"(
metrics: { enabled: false }
endpoints:
  - { method: GET, path: /livez, action: livez }
  - { method: GET, path: /metrics, action: metrics }
)");
  const auto result = runProcess({kP2jBinary, "check-config", file.string()}, {{"P2J_DATA_DIR", dir.path() / "data"}});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.err.find(file.string() + ":5:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("action 'metrics' serves the metrics, which metrics.enabled: false turns off"),
            std::string::npos)
      << result.err;
}

TEST(MetricsConfig, DisabledMetricsServeEverythingElse) {
  ServerProcess server(R"(
metrics: { enabled: false }
plugins:
  rules: { use: agent-rules }
  db:    { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules }
  - { method: GET,  path: /livez, action: livez }
)");
  server.start();
  EXPECT_EQ(server.request("POST", "/generate", kPrompt).status, 200);
  EXPECT_EQ(server.request("GET", "/metrics").status, 404);
  EXPECT_EQ(server.stop(), 0);
}

// --- logs

constexpr const char* kLoggingPlugins = R"(
plugins:
  rules: { use: agent-rules }
  db:    { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
  key:   { use: auth-apikey }
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules, auth: [key] }
  - { method: GET,  path: /livez, action: livez }
)";

ServerProcess loggingServer(const std::string& logging_yaml) {
  return ServerProcess(logging_yaml + kLoggingPlugins, {{"P2J_API_KEY", kApiKey}});
}

TEST(Logging, JsonLinesCarryTheAccessFieldsAndTheRequestId) {
  ServerProcess server = loggingServer("logging: { format: json, levels: { auth: debug } }\n");
  server.start();
  EXPECT_EQ(server.request("POST", "/generate", kPrompt, {{"X-Request-ID", "json-refused-1"}}).status, 401);
  EXPECT_EQ(
      server.request("POST", "/generate", kPrompt, {{"X-Request-ID", "json-ok-1"}, {"X-API-Key", kApiKey}}).status,
      200);
  EXPECT_EQ(server.stop(), 0);

  bool saw_access = false;
  for (const auto& line : lines(server.stdoutText())) {
    const rapidjson::Document entry = sdk::parseJson(line);  // every line is one JSON object
    ASSERT_TRUE(entry.IsObject()) << line;
    if (std::string(entry["request_id"].GetString()) != "json-ok-1") continue;
    saw_access = true;
    EXPECT_STREQ(entry["logger"].GetString(), "access");
    EXPECT_STREQ(entry["level"].GetString(), "info");
    EXPECT_TRUE(std::regex_match(entry["ts"].GetString(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
    EXPECT_STREQ(entry["msg"].GetString(), "POST /generate");
    EXPECT_STREQ(entry["method"].GetString(), "POST");
    EXPECT_STREQ(entry["path"].GetString(), "/generate");
    EXPECT_STREQ(entry["route"].GetString(), "/generate");
    EXPECT_EQ(entry["status"].GetInt(), 200);
    EXPECT_TRUE(entry["duration_ms"].IsNumber());
    EXPECT_GT(entry["bytes"].GetInt(), 100);
    EXPECT_STREQ(entry["client"].GetString(), "127.0.0.1");
    EXPECT_STREQ(entry["principal"].GetString(), "apikey:env");
  }
  EXPECT_TRUE(saw_access) << server.stdoutText();

  bool saw_refusal = false;
  for (const auto& line : lines(server.stderrText())) {
    const rapidjson::Document entry = sdk::parseJson(line);
    ASSERT_TRUE(entry.IsObject()) << line;
    if (std::string(entry["logger"].GetString()) == "auth") {
      saw_refusal = true;
      EXPECT_STREQ(entry["request_id"].GetString(), "json-refused-1") << line;
      EXPECT_STREQ(entry["level"].GetString(), "debug");
    }
  }
  EXPECT_TRUE(saw_refusal) << server.stderrText();
}

TEST(Logging, EveryLineLoggedWhileServingARequestHasItsId) {
  ServerProcess server = loggingServer("logging: { levels: { storage: debug } }\n");
  server.start();
  ASSERT_EQ(server.request("POST", "/generate", kPrompt, {{"X-Request-ID", "text-1"}, {"X-API-Key", kApiKey}}).status,
            200);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_TRUE(std::regex_search(
      server.stderrText(),
      std::regex(R"(debug storage: storage 'db': insert specs done in [0-9.]+ ms request_id=text-1\n)")))
      << server.stderrText();
  EXPECT_TRUE(std::regex_search(
      server.stdoutText(),
      std::regex(
          R"(info access: POST /generate route=/generate status=200 duration_ms=[0-9.]+ bytes=\d+ client=127\.0\.0\.1 principal=apikey:env request_id=text-1\n)")))
      << server.stdoutText();
}

TEST(Logging, LevelsPerLogger) {
  ServerProcess server = loggingServer("logging: { level: info, levels: { access: warn } }\n");
  server.start();
  ASSERT_EQ(server.request("POST", "/generate", kPrompt, {{"X-API-Key", kApiKey}}).status, 200);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(server.stdoutText(), "") << "access: warn drops the info lines of the access log";
  EXPECT_NE(server.stderrText().find("info p2j: p2j "), std::string::npos) << server.stderrText();
  EXPECT_EQ(server.stderrText().find("storage 'db'"), std::string::npos) << "storage stays at info";
}

TEST(Logging, FilesRotateBySize) {
  ServerProcess server = loggingServer(
      "logging: { access_file: logs/access.log, rotation: { max_bytes: 4096, interval: none, keep: 2 } }\n");
  std::filesystem::create_directories(server.dir().path() / "logs");
  server.start();
  for (int i = 0; i < 60; ++i) ASSERT_EQ(server.request("GET", "/livez").status, 200);
  EXPECT_EQ(server.stop(), 0);
  const auto logs = server.dir().path() / "logs";  // relative to the config file's directory
  for (const char* name : {"access.log", "access.log.1", "access.log.2"}) {
    ASSERT_TRUE(std::filesystem::exists(logs / name)) << name;
    EXPECT_LE(std::filesystem::file_size(logs / name), 4096u) << name;
    EXPECT_NE(readText(logs / name).find("GET /livez route=/livez status=200"), std::string::npos) << name;
  }
  EXPECT_FALSE(std::filesystem::exists(logs / "access.log.3"));
  EXPECT_EQ(server.stdoutText(), "") << "the access log went to its file";
}

TEST(Logging, AnUnwritableLogFileStopsStartUpWithItsLine) {
  TempDir dir;
  const auto file =
      dir.write("p2j.yaml", std::string("logging:\n  file: /nonexistent-p2j-dir/p2j.log\n") + kLoggingPlugins);
  for (const char* command : {"check-config", "serve"}) {
    std::vector<std::string> argv{kP2jBinary, command};
    if (std::string(command) == "serve") argv.push_back("--config");
    argv.push_back(file.string());
    const auto result = runProcess(argv, {{"P2J_DATA_DIR", dir.path() / "data"}, {"P2J_API_KEY", kApiKey}});
    EXPECT_EQ(result.exit_code, 2) << command << ": " << result.err;
    EXPECT_NE(result.err.find(file.string() + ":2:9: logging: cannot write the log file /nonexistent-p2j-dir/p2j.log"),
              std::string::npos)
        << command << ": " << result.err;
  }
}

}  // namespace
}  // namespace p2j::testing
