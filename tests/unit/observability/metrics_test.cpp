#include "observability/metrics.hpp"
#include "observability/http_metrics.hpp"
#include "observability/plugin_metrics.hpp"
#include "observability/process_metrics.hpp"

#include <gtest/gtest.h>

#include <prometheus/text_serializer.h>

#include <chrono>
#include <ctime>
#include <optional>
#include <sstream>
#include <thread>

namespace p2j::observability {
namespace {

using Labels = std::map<std::string, std::string>;

// The sample of `name` whose labels include all of `labels`, from a fresh collection.
std::optional<prometheus::ClientMetric> sample(const std::string& name, const Labels& labels) {
  for (const auto& family : metrics().collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      size_t matched = 0;
      for (const auto& label : metric.label) {
        const auto wanted = labels.find(label.name);
        if (wanted != labels.end() && wanted->second == label.value) ++matched;
      }
      if (matched == labels.size()) return metric;
    }
  }
  return std::nullopt;
}

double counterValue(const std::string& name, const Labels& labels) {
  const auto found = sample(name, labels);
  return found ? found->counter.value : -1;
}

TEST(Metrics, AskingAgainForAFamilyAndLabelsGivesTheSameSeries) {
  auto& first = metrics().counter("test_reused_total", "A counter asked for twice").Add({{"who", "a"}});
  auto& second = metrics().counter("test_reused_total", "A counter asked for twice").Add({{"who", "a"}});
  EXPECT_EQ(&first, &second);
  first.Increment();
  second.Increment();
  EXPECT_EQ(counterValue("test_reused_total", {{"who", "a"}}), 2);
}

TEST(Metrics, ANameTakenByAnotherTypeIsRefused) {
  metrics().counter("test_typed_total", "A counter");
  EXPECT_THROW(metrics().gauge("test_typed_total", "Not a counter"), std::invalid_argument);
}

TEST(EndpointMetrics, RecordsStatusDurationSizesAndInProgress) {
  EndpointMetrics endpoint("/test/record", "POST");
  endpoint.started();
  const Labels series{{"handler", "/test/record"}, {"method", "POST"}};
  EXPECT_EQ(sample("http_requests_inprogress", series)->gauge.value, 1);
  endpoint.finished(200, 0.003, 120, 4000);
  endpoint.started();
  endpoint.finished(422, 0.2, -1, 80);  // -1: no Content-Length, counted as 0 bytes
  EXPECT_EQ(sample("http_requests_inprogress", series)->gauge.value, 0);
  EXPECT_EQ(counterValue("http_requests_total", {{"handler", "/test/record"}, {"status", "200"}}), 1);
  EXPECT_EQ(counterValue("http_requests_total", {{"handler", "/test/record"}, {"status", "422"}}), 1);

  const auto duration = sample("http_request_duration_seconds", series)->histogram;
  EXPECT_EQ(duration.sample_count, 2u);
  EXPECT_NEAR(duration.sample_sum, 0.203, 1e-9);
  std::map<double, uint64_t> cumulative;
  for (const auto& bucket : duration.bucket) cumulative[bucket.upper_bound] = bucket.cumulative_count;
  EXPECT_EQ(cumulative.at(0.0025), 0u);
  EXPECT_EQ(cumulative.at(0.005), 1u);
  EXPECT_EQ(cumulative.at(0.1), 1u);
  EXPECT_EQ(cumulative.at(0.25), 2u);
  EXPECT_EQ(sample("http_request_size_bytes", {{"handler", "/test/record"}})->histogram.sample_sum, 120);
  EXPECT_EQ(sample("http_response_size_bytes", {{"handler", "/test/record"}})->histogram.sample_sum, 4080);

  endpoint.rateLimited();
  EXPECT_EQ(counterValue("rate_limit_rejections_total", {{"handler", "/test/record"}}), 1);
}

TEST(EndpointMetrics, CountsEveryStatusBeyondTheResolvedSlots) {
  EndpointMetrics endpoint("/test/statuses", "GET");
  for (int round = 0; round < 2; ++round) {
    for (int status = 200; status < 240; ++status) {
      endpoint.started();
      endpoint.finished(status, 0.001, 0, 0);
    }
  }
  for (int status = 200; status < 240; ++status) {
    EXPECT_EQ(counterValue("http_requests_total", {{"handler", "/test/statuses"}, {"status", std::to_string(status)}}),
              2)
        << status;
  }
}

TEST(EndpointMetrics, ConcurrentRequestsAllCount) {
  EndpointMetrics endpoint("/test/concurrent", "GET");
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        endpoint.started();
        endpoint.finished(200 + (i + t) % 5, 0.001, 10, 10);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  double total = 0;
  for (int status = 200; status < 205; ++status) {
    total += counterValue("http_requests_total", {{"handler", "/test/concurrent"}, {"status", std::to_string(status)}});
  }
  EXPECT_EQ(total, 8000);
  EXPECT_EQ(sample("http_requests_inprogress", {{"handler", "/test/concurrent"}})->gauge.value, 0);
}

TEST(HttpMetrics, OtherMethodsAndUnmatchedPathsHaveBoundedLabels) {
  HttpMetrics http(std::vector<std::pair<std::string, std::string>>{{"/test/table", "GET"}});
  EndpointMetrics& own = http.endpoint(0, "GET");
  EXPECT_EQ(&own, &http.endpoint(0, "GET"));
  EndpointMetrics& head = http.endpoint(0, "HEAD");
  EXPECT_NE(&own, &head);
  EXPECT_EQ(&head, &http.endpoint(0, "HEAD"));
  EXPECT_EQ(&http.unmatched("BREW"), &http.unmatched("PROPFIND"));  // both "other"
  http.unmatched("BREW").started();
  http.unmatched("BREW").finished(404, 0.001, 0, 50);
  EXPECT_EQ(counterValue("http_requests_total", {{"handler", "none"}, {"method", "other"}, {"status", "404"}}), 1);
  EXPECT_FALSE(sample("http_requests_total", {{"method", "BREW"}}));
}

TEST(PluginCallMetrics, CountsOutcomesAndTime) {
  const PluginCallMetrics calls("test-instance", "agent");
  for (const p2j_status status : {P2J_OK, P2J_OK, P2J_REFUSED, P2J_UNAVAILABLE}) calls.record(status, calls.start());
  const Labels instance{{"plugin", "test-instance"}, {"kind", "agent"}};
  auto with = [&](const char* outcome) {
    Labels labels = instance;
    labels["outcome"] = outcome;
    return counterValue("plugin_calls_total", labels);
  };
  EXPECT_EQ(with("ok"), 2);
  EXPECT_EQ(with("refused"), 1);
  EXPECT_EQ(with("unavailable"), 1);
  EXPECT_EQ(with("internal"), 0);
  EXPECT_EQ(sample("plugin_call_duration_seconds", instance)->histogram.sample_count, 4u);
}

TEST(PluginCallMetrics, DisabledRecordsNothing) {
  metrics().setEnabled(false);
  const PluginCallMetrics calls("test-disabled", "agent");
  metrics().setEnabled(true);
  EXPECT_EQ(calls.start(), std::chrono::steady_clock::time_point{});
  calls.record(P2J_OK, calls.start());
  EXPECT_FALSE(sample("plugin_calls_total", {{"plugin", "test-disabled"}}));
}

TEST(ProcessMetrics, ReadsThisProcess) {
  std::map<std::string, double> values;
  for (const auto& family : processMetrics()) {
    ASSERT_EQ(family.metric.size(), 1u) << family.name;
    values[family.name] =
        family.type == prometheus::MetricType::Counter ? family.metric[0].counter.value : family.metric[0].gauge.value;
  }
  EXPECT_GT(values.at("process_resident_memory_bytes"), 1e6);
  EXPECT_GE(values.at("process_virtual_memory_bytes"), values.at("process_resident_memory_bytes"));
  EXPECT_GE(values.at("process_open_fds"), 3);  // stdin, stdout, stderr at least
  EXPECT_GE(values.at("process_max_fds"), values.at("process_open_fds"));
  EXPECT_GE(values.at("process_threads"), 1);
  EXPECT_GE(values.at("process_cpu_seconds_total"), 0);
  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_LE(values.at("process_start_time_seconds"), now + 1);
  EXPECT_GT(values.at("process_start_time_seconds"), now - 3600);  // this test process started recently
}

TEST(ProcessMetrics, SerializeAsPrometheusText) {
  std::ostringstream text;
  prometheus::TextSerializer().Serialize(text, processMetrics());
  EXPECT_NE(text.str().find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("# TYPE process_resident_memory_bytes gauge\n"), std::string::npos);
}

}  // namespace
}  // namespace p2j::observability
