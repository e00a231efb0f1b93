// A real Prometheus (Debian's, started by scripts/prometheus-test-server.sh) scrapes the real p2j, and the
// series come back through Prometheus's own HTTP API: the exposition is what Prometheus reads, not just
// what promtool accepts.
#include "server_process.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/json.hpp>

#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace p2j::testing {
namespace {

constexpr const char* kConfig = R"(
plugins:
  rules: { use: agent-rules }
  db:    { use: storage-sqlite, config: { path: "${P2J_DATA_DIR}/p2j.db" } }
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules }
  - { method: GET,  path: /livez, action: livez }
  - { method: GET,  path: /metrics, action: metrics }
)";

class Prometheus {
 public:
  explicit Prometheus(uint16_t target_port) {
    const auto started =
        runProcess({script_, "start", dir_.path().string(), "127.0.0.1:" + std::to_string(target_port)});
    if (started.exit_code != 0) throw std::runtime_error("Prometheus did not start: " + started.err);
    const std::string url = started.out.substr(0, started.out.find('\n'));
    port_ = static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
  }
  ~Prometheus() { runProcess({script_, "stop", dir_.path().string()}); }

  // The value of an instant query's first result, or nullopt while it has none.
  std::optional<double> query(const std::string& promql) const {
    std::string encoded;
    Poco::URI::encode(promql, "+&=?#%{}\"/", encoded);
    const HttpResult answer = httpRequest(port_, "GET", "/api/v1/query?query=" + encoded);
    if (answer.status != 200) return std::nullopt;
    const rapidjson::Document body = sdk::parseJson(answer.body);
    const auto& result = body["data"]["result"];
    if (!result.IsArray() || result.Empty()) return std::nullopt;
    return std::stod(result[0]["value"][1].GetString());
  }

  // Polls `promql` until it equals `expected` or `timeout` passes; returns the last value seen.
  std::optional<double> waitFor(const std::string& promql, double expected,
                                std::chrono::seconds timeout = std::chrono::seconds(60)) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::optional<double> value;
    while (std::chrono::steady_clock::now() < deadline) {
      value = query(promql);
      if (value == expected) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return value;
  }

 private:
  TempDir dir_;
  std::string script_ = std::string(kSourceDir) + "/scripts/prometheus-test-server.sh";
  uint16_t port_ = 0;
};

TEST(PrometheusScrape, SeriesComeBackThroughPrometheusHttpApi) {
  ServerProcess server(kConfig);
  server.start();
  const Prometheus prometheus(server.port());
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(server.request("POST", "/generate", R"({"prompt": "Design a wooden dining table for 6 people"})").status,
              200);
  }
  EXPECT_EQ(prometheus.waitFor(R"(up{job="p2j"})", 1), 1);
  EXPECT_EQ(prometheus.waitFor(R"(http_requests_total{job="p2j",handler="/generate",method="POST",status="200"})", 5),
            5);
  EXPECT_EQ(prometheus.waitFor(R"(spec_generations_total{agent="rules",success="true"})", 5), 5);
  const auto rss = prometheus.query(R"(process_resident_memory_bytes{job="p2j"})");
  ASSERT_TRUE(rss);
  EXPECT_GT(*rss, 1e6);
  // Histograms arrive as histograms: a quantile over their buckets is a duration.
  const auto p99 = prometheus.query(
      R"(histogram_quantile(0.99, sum by (le) (http_request_duration_seconds_bucket{handler="/generate"})))");
  ASSERT_TRUE(p99);
  EXPECT_GT(*p99, 0);
  EXPECT_LT(*p99, 10);
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace p2j::testing
