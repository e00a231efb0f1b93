// The standard process_* metrics of Prometheus client libraries, read from /proc when scraped.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

namespace p2j::observability {

// process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds and process_threads, as they are now.
// A value /proc does not give (another OS, a restricted /proc) is left out rather than reported as 0.
std::vector<prometheus::MetricFamily> processMetrics();

}  // namespace p2j::observability
