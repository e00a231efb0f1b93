// What the request path served since the process started, for /system-overview's `performance`: how many
// requests, how many failed on the server's side, how many are in flight, and their latency as a histogram.
// Recording is a handful of relaxed atomic adds per request, no lock.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

namespace p2j::observability {

// Cumulative buckets, as Prometheus keeps them: cumulative[i] requests took at most upper_bounds[i] seconds;
// the last bound is +infinity, so its count is `count`.
struct LatencyHistogram {
  std::vector<double> upper_bounds;
  std::vector<uint64_t> cumulative;
  double sum_seconds = 0;
  uint64_t count = 0;
};

// The q-quantile (0 < q < 1) in seconds, interpolated linearly inside its bucket the way PromQL's
// histogram_quantile does; the highest finite bound when it falls in the +infinity bucket; 0 without data.
double quantile(const LatencyHistogram& histogram, double q);

struct RequestFigures {
  uint64_t requests = 0;       // answered
  uint64_t server_errors = 0;  // answered with a 5xx
  int64_t in_flight = 0;       // started, not yet answered
  int64_t peak_in_flight = 0;  // the most ever in flight at once
  LatencyHistogram latency;
};

class RequestStats {
 public:
  void started();
  // Ends what started() began.
  void finished(int status, double seconds);
  RequestFigures figures() const;

 private:
  static constexpr std::array<double, 13> kUpperBounds = {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                          0.2,   0.5,   1.0,   2.5,  5.0,   10.0};

  std::array<std::atomic<uint64_t>, kUpperBounds.size() + 1> buckets_{};  // per bucket, not cumulative
  std::atomic<uint64_t> micros_{0};
  std::atomic<uint64_t> server_errors_{0};
  std::atomic<int64_t> in_flight_{0};
  std::atomic<int64_t> peak_in_flight_{0};
};

// The process's request path's figures.
RequestStats& requestStats();

}  // namespace p2j::observability
