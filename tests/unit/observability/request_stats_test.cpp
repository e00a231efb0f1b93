// The request path's own figures behind /system-overview's "performance": counts, the 5xx share, what is in
// flight, and latency quantiles read from histogram buckets.
#include "observability/request_stats.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <thread>
#include <vector>

namespace p2j::observability {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

TEST(Quantile, InterpolatesInsideTheBucketItFallsIn) {
  // 10 requests up to 10 ms, 10 more between 10 and 20 ms.
  const LatencyHistogram histogram{{0.01, 0.02, kInfinity}, {10, 20, 20}, 0.3, 20};
  EXPECT_DOUBLE_EQ(quantile(histogram, 0.5), 0.01);
  EXPECT_DOUBLE_EQ(quantile(histogram, 0.25), 0.005);
  EXPECT_DOUBLE_EQ(quantile(histogram, 0.75), 0.015);
  EXPECT_DOUBLE_EQ(quantile(histogram, 1.0), 0.02);
}

TEST(Quantile, TheInfiniteBucketGivesTheHighestFiniteBoundAndNoDataGivesZero) {
  const LatencyHistogram slow{{0.01, kInfinity}, {1, 10}, 200, 10};
  EXPECT_DOUBLE_EQ(quantile(slow, 0.95), 0.01);
  EXPECT_DOUBLE_EQ(quantile(LatencyHistogram{{0.01, kInfinity}, {0, 0}, 0, 0}, 0.5), 0);
}

TEST(RequestStats, CountsWhatWasAnsweredAndWhatIsInFlight) {
  RequestStats stats;
  stats.started();
  stats.started();
  stats.started();
  EXPECT_EQ(stats.figures().in_flight, 3);
  stats.finished(200, 0.0015);
  stats.finished(503, 0.3);
  const RequestFigures figures = stats.figures();
  EXPECT_EQ(figures.requests, 2U);
  EXPECT_EQ(figures.server_errors, 1U);
  EXPECT_EQ(figures.in_flight, 1);
  EXPECT_EQ(figures.peak_in_flight, 3);
  EXPECT_NEAR(figures.latency.sum_seconds, 0.3015, 1e-6);
  ASSERT_EQ(figures.latency.upper_bounds.size(), figures.latency.cumulative.size());
  EXPECT_EQ(figures.latency.upper_bounds.back(), kInfinity);
  EXPECT_EQ(figures.latency.cumulative.back(), 2U);
  // 1.5 ms lands in (1 ms, 2 ms], 300 ms in (200 ms, 500 ms].
  EXPECT_GT(quantile(figures.latency, 0.25), 0.001);
  EXPECT_LE(quantile(figures.latency, 0.25), 0.002);
  EXPECT_GT(quantile(figures.latency, 0.99), 0.2);
  EXPECT_LE(quantile(figures.latency, 0.99), 0.5);
}

TEST(RequestStats, LosesNothingUnderConcurrentRequests) {
  RequestStats stats;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&stats, t] {
      for (int i = 0; i < 5000; ++i) {
        stats.started();
        stats.finished(t == 0 ? 500 : 200, 0.004);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const RequestFigures figures = stats.figures();
  EXPECT_EQ(figures.requests, 20000U);
  EXPECT_EQ(figures.server_errors, 5000U);
  EXPECT_EQ(figures.in_flight, 0);
  EXPECT_GE(figures.peak_in_flight, 1);
  EXPECT_LE(figures.peak_in_flight, 4);
}

}  // namespace
}  // namespace p2j::observability
