// /system-overview's "performance" from measured figures and the configuration, never fixed targets.
#include "endpoints/performance_report.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace p2j::endpoints {
namespace {

std::optional<std::string> noEnvironment(const std::string&) { return std::nullopt; }

rapidjson::Document performanceOf(const observability::RequestFigures& figures, const std::string& yaml) {
  const config::Config config = config::parseConfig(yaml, "test.yaml", "/etc/p2j", noEnvironment);
  rapidjson::StringBuffer text;
  sdk::JsonWriter writer(text);
  writePerformance(writer, figures, std::chrono::seconds(90) + std::chrono::milliseconds(700), config);
  return sdk::parseJson({text.GetString(), text.GetSize()});
}

constexpr const char* kLimited = R"(server: { threads: 24 }
rate_limits: { default: 20/minute }
endpoints:
  - { method: GET, path: /livez, action: livez }
)";

TEST(PerformanceReport, ReportsTheMeasuredFiguresAndTheConfiguredBounds) {
  observability::RequestFigures figures;
  figures.requests = 8;
  figures.server_errors = 1;
  figures.in_flight = 2;
  figures.peak_in_flight = 5;
  // 4 requests up to 10 ms, 4 between 10 and 50 ms; 160 ms in all.
  figures.latency = {{0.01, 0.05, std::numeric_limits<double>::infinity()}, {4, 8, 8}, 0.16, 8};
  const rapidjson::Document performance = performanceOf(figures, kLimited);
  EXPECT_EQ(performance["uptime_seconds"].GetInt64(), 90);
  EXPECT_EQ(performance["requests"].GetUint64(), 8U);
  EXPECT_EQ(performance["server_errors"].GetUint64(), 1U);
  EXPECT_DOUBLE_EQ(performance["error_rate_percent"].GetDouble(), 12.5);
  EXPECT_EQ(performance["in_flight"].GetInt64(), 2);
  EXPECT_EQ(performance["peak_in_flight"].GetInt64(), 5);
  EXPECT_EQ(performance["max_concurrent_requests"].GetInt(), 24);
  const auto& times = performance["response_time_ms"];
  EXPECT_DOUBLE_EQ(times["mean"].GetDouble(), 20.0);
  EXPECT_DOUBLE_EQ(times["p50"].GetDouble(), 10.0);
  EXPECT_DOUBLE_EQ(times["p95"].GetDouble(), 46.0);
  EXPECT_DOUBLE_EQ(times["p99"].GetDouble(), 49.2);
  EXPECT_STREQ(performance["rate_limit"].GetString(), "20/minute");
  EXPECT_STREQ(performance["rate_limit_store"].GetString(), "memory");
}

TEST(PerformanceReport, BeforeAnyRequestTheTimesAreNull) {
  const rapidjson::Document performance = performanceOf({}, R"(endpoints:
  - { method: GET, path: /livez, action: livez }
)");
  EXPECT_EQ(performance["requests"].GetUint64(), 0U);
  EXPECT_DOUBLE_EQ(performance["error_rate_percent"].GetDouble(), 0.0);
  for (const char* key : {"mean", "p50", "p95", "p99"}) EXPECT_TRUE(performance["response_time_ms"][key].IsNull());
  EXPECT_STREQ(performance["rate_limit"].GetString(), "none");
}

}  // namespace
}  // namespace p2j::endpoints
