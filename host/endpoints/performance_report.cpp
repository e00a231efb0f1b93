#include "endpoints/performance_report.hpp"

#include <cmath>

namespace p2j::endpoints {
namespace {

double roundedTo(double value, double step) { return std::round(value / step) * step; }

}  // namespace

void writePerformance(sdk::JsonWriter& writer, const observability::RequestFigures& figures,
                      std::chrono::steady_clock::duration uptime, const config::Config& config) {
  writer.StartObject();
  writer.Key("uptime_seconds");
  writer.Int64(std::chrono::duration_cast<std::chrono::seconds>(uptime).count());
  writer.Key("requests");
  writer.Uint64(figures.requests);
  writer.Key("server_errors");
  writer.Uint64(figures.server_errors);
  writer.Key("error_rate_percent");
  writer.Double(figures.requests == 0 ? 0.0
                                      : roundedTo(100.0 * static_cast<double>(figures.server_errors) /
                                                      static_cast<double>(figures.requests),
                                                  0.01));
  writer.Key("in_flight");
  writer.Int64(figures.in_flight);
  writer.Key("peak_in_flight");
  writer.Int64(figures.peak_in_flight);
  writer.Key("max_concurrent_requests");  // Poco serves each connection on one of these threads
  writer.Int(config.server.threads);
  writer.Key("response_time_ms");
  writer.StartObject();
  const auto milliseconds = [&](std::optional<double> seconds) {
    if (!seconds || figures.latency.count == 0) {
      writer.Null();
    } else {
      writer.Double(roundedTo(*seconds * 1000.0, 0.001));
    }
  };
  writer.Key("mean");
  milliseconds(figures.latency.count == 0
                   ? std::nullopt
                   : std::optional(figures.latency.sum_seconds / static_cast<double>(figures.latency.count)));
  for (const auto& [key, q] : {std::pair{"p50", 0.5}, std::pair{"p95", 0.95}, std::pair{"p99", 0.99}}) {
    sdk::writeKey(writer, key);
    milliseconds(observability::quantile(figures.latency, q));
  }
  writer.EndObject();
  writer.Key("rate_limit");
  sdk::writeString(writer, config.rate_limits.default_limit ? config.rate_limits.default_limit->text : "none");
  writer.Key("rate_limit_store");
  writer.String(config.rate_limits.store == config::RateLimitsConfig::Store::kRedis ? "redis" : "memory");
  writer.EndObject();
}

}  // namespace p2j::endpoints
