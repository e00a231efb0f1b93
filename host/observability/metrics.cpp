#include "observability/metrics.hpp"

namespace p2j::observability {

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>(prometheus::Registry::InsertBehavior::Merge)) {}

prometheus::Family<prometheus::Counter>& Metrics::counter(const std::string& name, const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(*registry_);
}

prometheus::Family<prometheus::Gauge>& Metrics::gauge(const std::string& name, const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(*registry_);
}

prometheus::Family<prometheus::Histogram>& Metrics::histogram(const std::string& name, const std::string& help) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(*registry_);
}

std::vector<prometheus::MetricFamily> Metrics::collect() const { return registry_->Collect(); }

Metrics& metrics() {
  static Metrics instance;
  return instance;
}

const prometheus::Histogram::BucketBoundaries& latencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                                  0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return buckets;
}

const prometheus::Histogram::BucketBoundaries& sizeBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {64,    256,    1024,    4096,   16384,
                                                                  65536, 262144, 1048576, 4194304};
  return buckets;
}

const prometheus::Histogram::BucketBoundaries& scoreBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
  return buckets;
}

}  // namespace p2j::observability
