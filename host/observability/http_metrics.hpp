// The request path's metrics, in the names the original's clients and dashboards read
// (prometheus-fastapi-instrumentator's, ungrouped statuses): http_requests_total{handler,method,status},
// http_request_duration_seconds{handler,method}, http_requests_inprogress{handler,method},
// http_request_size_bytes{handler}, http_response_size_bytes{handler}, plus
// rate_limit_rejections_total{handler}.
#pragma once

#include "observability/metrics.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace p2j::observability {

// The series of one (handler, method), resolved when it is built, so that recording a request takes no
// lookup: a handful of atomic adds and one mutex per histogram (prometheus-cpp's). The status children
// are resolved on first use, then found by a scan of a few integers.
class EndpointMetrics {
 public:
  EndpointMetrics(std::string handler, std::string method);
  EndpointMetrics(const EndpointMetrics&) = delete;
  EndpointMetrics& operator=(const EndpointMetrics&) = delete;

  void started() { in_progress_.Increment(); }
  // Ends what started() began.
  void finished(int status, double seconds, int64_t request_bytes, size_t response_bytes);
  void rateLimited() { rejections_.Increment(); }

 private:
  prometheus::Counter& statusCounter(int status);

  struct StatusSlot {
    int status = 0;
    prometheus::Counter* counter = nullptr;
  };
  static constexpr size_t kStatusSlots = 16;  // more than the distinct statuses an endpoint answers

  std::string handler_;
  std::string method_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Gauge& in_progress_;
  prometheus::Histogram& duration_;
  prometheus::Histogram& request_size_;
  prometheus::Histogram& response_size_;
  prometheus::Counter& rejections_;
  std::array<StatusSlot, kStatusSlots> slots_;
  std::atomic<size_t> used_slots_{0};  // slots [0, used) are written before used is published
  std::mutex add_mutex_;
};

// Every (handler, method) of the request path: each endpoint's own method is built up front; HEAD on a
// GET route, preflights and requests no endpoint matches (handler "none") on first use, behind a mutex.
// Methods outside the HTTP set count as "other", so a client cannot grow the label space.
class HttpMetrics {
 public:
  // One (path template, method) per endpoint, in endpoint order.
  explicit HttpMetrics(const std::vector<std::pair<std::string, std::string>>& endpoints);

  EndpointMetrics& endpoint(size_t index, std::string_view method);
  EndpointMetrics& unmatched(std::string_view method);

 private:
  EndpointMetrics& other(const std::string& handler, std::string_view method);

  std::vector<std::unique_ptr<EndpointMetrics>> primary_;
  std::vector<std::string> handlers_;
  std::vector<std::string> methods_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<EndpointMetrics>> others_;
};

}  // namespace p2j::observability
