// /system-overview's "performance": what this process measured, where the original had fixed targets
// ("<200ms", "1000+", "99.9%").
#pragma once

#include "config/config.hpp"
#include "observability/request_stats.hpp"

#include <p2j/sdk/json.hpp>

#include <chrono>

namespace p2j::endpoints {

// {"uptime_seconds", "requests", "server_errors", "error_rate_percent", "in_flight", "peak_in_flight",
//  "max_concurrent_requests", "response_time_ms": {"mean", "p50", "p95", "p99"} (null before any request
//  was answered), "rate_limit", "rate_limit_store"}. The quantiles are interpolated inside histogram buckets:
// estimates, as Prometheus' are.
void writePerformance(sdk::JsonWriter& writer, const observability::RequestFigures& figures,
                      std::chrono::steady_clock::duration uptime, const config::Config& config);

}  // namespace p2j::endpoints
