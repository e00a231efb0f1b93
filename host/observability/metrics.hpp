// The process's Prometheus metrics: one registry, served as text by the `metrics` action.
//
// Adding a metric is one line where the recording object is built (at bind time, never per request):
//   prometheus::Counter& hits = observability::metrics().counter("cache_hits_total", "…").Add({{"cache", name}});
// and one call where it happens: hits.Increment(). Asking again for a family by the same name returns the
// same family and Add() with the same labels the same child, so objects rebuilt by a reload keep counting
// on the same series. Label values must come from a bounded set (instance names, statuses), never from a
// request's raw text.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace p2j::observability {

class Metrics {
 public:
  Metrics();

  // Throw std::invalid_argument when `name` is already a family of another type or is not a valid name.
  prometheus::Family<prometheus::Counter>& counter(const std::string& name, const std::string& help);
  prometheus::Family<prometheus::Gauge>& gauge(const std::string& name, const std::string& help);
  prometheus::Family<prometheus::Histogram>& histogram(const std::string& name, const std::string& help);

  // The current samples of every family.
  std::vector<prometheus::MetricFamily> collect() const;

  // Whether the host records its request-path metrics (`metrics.enabled`). Read when recording objects are
  // built: set it before the server binds.
  bool enabled() const { return enabled_.load(std::memory_order_relaxed); }
  void setEnabled(bool enabled) { enabled_.store(enabled, std::memory_order_relaxed); }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::atomic<bool> enabled_{true};
};

// The process-wide registry.
Metrics& metrics();

// Bucket boundaries shared by the host's histograms, so that series of one kind aggregate.
const prometheus::Histogram::BucketBoundaries& latencyBuckets();  // seconds: 0.5 ms … 10 s
const prometheus::Histogram::BucketBoundaries& sizeBuckets();     // bytes: 64 B … 4 MiB
const prometheus::Histogram::BucketBoundaries& scoreBuckets();    // 0–100 in steps of 10

inline double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Observes the time until it goes out of scope (also when that is by an exception); does nothing for a
// null histogram, the way recording sites hold one when metrics are disabled.
class ScopedTimer {
 public:
  explicit ScopedTimer(prometheus::Histogram* histogram)
      : histogram_(histogram),
        started_(histogram != nullptr ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{}) {}
  ~ScopedTimer() {
    if (histogram_ != nullptr) histogram_->Observe(secondsSince(started_));
  }
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

 private:
  prometheus::Histogram* histogram_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace p2j::observability
