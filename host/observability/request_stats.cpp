#include "observability/request_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace p2j::observability {

double quantile(const LatencyHistogram& histogram, double q) {
  if (histogram.count == 0 || histogram.upper_bounds.empty()) return 0;
  const double rank = q * static_cast<double>(histogram.count);
  double lower_bound = 0;
  uint64_t below = 0;
  for (size_t i = 0; i < histogram.upper_bounds.size(); ++i) {
    const double upper = histogram.upper_bounds[i];
    const uint64_t upto = histogram.cumulative[i];
    if (static_cast<double>(upto) >= rank) {
      if (std::isinf(upper)) return lower_bound;
      const uint64_t in_bucket = upto - below;
      if (in_bucket == 0) return upper;
      return lower_bound + (upper - lower_bound) * (rank - static_cast<double>(below)) / static_cast<double>(in_bucket);
    }
    if (!std::isinf(upper)) lower_bound = upper;
    below = upto;
  }
  return lower_bound;
}

void RequestStats::started() {
  const int64_t now = in_flight_.fetch_add(1, std::memory_order_relaxed) + 1;
  int64_t peak = peak_in_flight_.load(std::memory_order_relaxed);
  while (now > peak && !peak_in_flight_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

void RequestStats::finished(int status, double seconds) {
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  const auto bucket =
      static_cast<size_t>(std::lower_bound(kUpperBounds.begin(), kUpperBounds.end(), seconds) - kUpperBounds.begin());
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  micros_.fetch_add(static_cast<uint64_t>(std::max(0.0, seconds) * 1e6), std::memory_order_relaxed);
  if (status >= 500) server_errors_.fetch_add(1, std::memory_order_relaxed);
}

RequestFigures RequestStats::figures() const {
  RequestFigures figures;
  uint64_t total = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    figures.latency.upper_bounds.push_back(i < kUpperBounds.size() ? kUpperBounds[i]
                                                                   : std::numeric_limits<double>::infinity());
    figures.latency.cumulative.push_back(total);
  }
  figures.latency.count = total;
  figures.latency.sum_seconds = static_cast<double>(micros_.load(std::memory_order_relaxed)) / 1e6;
  figures.requests = total;
  figures.server_errors = server_errors_.load(std::memory_order_relaxed);
  figures.in_flight = in_flight_.load(std::memory_order_relaxed);
  figures.peak_in_flight = peak_in_flight_.load(std::memory_order_relaxed);
  return figures;
}

RequestStats& requestStats() {
  static RequestStats stats;
  return stats;
}

}  // namespace p2j::observability
