#include "observability/http_metrics.hpp"

#include <algorithm>

namespace p2j::observability {
namespace {

std::string_view boundedMethod(std::string_view method) {
  static constexpr std::array<std::string_view, 8> kMethods = {"GET",   "HEAD",   "POST",    "PUT",
                                                               "PATCH", "DELETE", "OPTIONS", "TRACE"};
  return std::find(kMethods.begin(), kMethods.end(), method) != kMethods.end() ? method : "other";
}

}  // namespace

EndpointMetrics::EndpointMetrics(std::string handler, std::string method)
    : handler_(std::move(handler)),
      method_(std::move(method)),
      requests_(metrics().counter("http_requests_total", "HTTP requests answered, by route template and status")),
      in_progress_(metrics()
                       .gauge("http_requests_inprogress", "HTTP requests being served now")
                       .Add({{"handler", handler_}, {"method", method_}})),
      duration_(metrics()
                    .histogram("http_request_duration_seconds",
                               "Time from reading the request line to sending the last byte of the answer")
                    .Add({{"handler", handler_}, {"method", method_}}, latencyBuckets())),
      request_size_(metrics()
                        .histogram("http_request_size_bytes", "Request body sizes (Content-Length, else bytes read)")
                        .Add({{"handler", handler_}}, sizeBuckets())),
      response_size_(metrics()
                         .histogram("http_response_size_bytes", "Response body sizes")
                         .Add({{"handler", handler_}}, sizeBuckets())),
      rejections_(metrics()
                      .counter("rate_limit_rejections_total", "Requests refused with 429 by a rate limit")
                      .Add({{"handler", handler_}})) {}

void EndpointMetrics::finished(int status, double seconds, int64_t request_bytes, size_t response_bytes) {
  in_progress_.Decrement();
  statusCounter(status).Increment();
  duration_.Observe(seconds);
  request_size_.Observe(static_cast<double>(std::max<int64_t>(request_bytes, 0)));
  response_size_.Observe(static_cast<double>(response_bytes));
}

prometheus::Counter& EndpointMetrics::statusCounter(int status) {
  size_t used = used_slots_.load(std::memory_order_acquire);
  for (size_t i = 0; i < used; ++i) {
    if (slots_[i].status == status) return *slots_[i].counter;
  }
  std::lock_guard lock(add_mutex_);
  used = used_slots_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < used; ++i) {
    if (slots_[i].status == status) return *slots_[i].counter;
  }
  prometheus::Counter& counter =
      requests_.Add({{"handler", handler_}, {"method", method_}, {"status", std::to_string(status)}});
  if (used < kStatusSlots) {
    slots_[used] = {status, &counter};
    used_slots_.store(used + 1, std::memory_order_release);
  }
  return counter;
}

HttpMetrics::HttpMetrics(const std::vector<std::pair<std::string, std::string>>& endpoints) {
  for (const auto& [handler, method] : endpoints) {
    primary_.push_back(std::make_unique<EndpointMetrics>(handler, method));
    handlers_.push_back(handler);
    methods_.push_back(method);
  }
}

EndpointMetrics& HttpMetrics::endpoint(size_t index, std::string_view method) {
  if (method == methods_[index]) return *primary_[index];
  return other(handlers_[index], method);
}

EndpointMetrics& HttpMetrics::unmatched(std::string_view method) { return other("none", method); }

EndpointMetrics& HttpMetrics::other(const std::string& handler, std::string_view method) {
  std::pair<std::string, std::string> key{handler, std::string(boundedMethod(method))};
  std::lock_guard lock(mutex_);
  auto& slot = others_[key];
  if (!slot) slot = std::make_unique<EndpointMetrics>(key.first, key.second);
  return *slot;
}

}  // namespace p2j::observability
