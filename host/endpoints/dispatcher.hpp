#pragma once

#include "config/config.hpp"
#include "endpoints/endpoint_table.hpp"
#include "http/client_address.hpp"
#include "http/cors.hpp"
#include "http/incoming_request.hpp"
#include "http/rate_limiter.hpp"
#include "observability/http_metrics.hpp"

#include <spdlog/logger.h>

#include <atomic>
#include <memory>

namespace p2j::endpoints {

// What one configuration serves requests with: its bindings and the settings the dispatcher applies before
// them. Built with the configuration and swapped whole by a reload, so no request ever sees half of two.
struct Serving {
  // `table` must outlive this (the owner of both keeps them together).
  Serving(const EndpointTable& table, const config::Config& config, std::shared_ptr<http::RateLimitStore> rate_limits);

  const EndpointTable& table;
  int64_t max_body_bytes;
  int max_json_depth;
  int64_t max_string_bytes;
  http::TrustedProxies trusted_proxies;
  http::CorsPolicy cors;
  std::shared_ptr<http::RateLimitStore> rate_limits;
  bool access_log;
};

// The one request path: request id, client address, CORS, routing (404/405), auth (401/403), rate
// limits (429), body limits (413), content type (415), JSON parsing (400), the action, error envelopes,
// metrics, and the access log line.
class Dispatcher : public http::RequestHandler {
 public:
  explicit Dispatcher(std::shared_ptr<const Serving> serving);

  // Requests that start from now on are served by `serving`. Those in flight finish on what they started
  // with, which is released (and with it whatever only it holds) when the last of them ends.
  void install(std::shared_ptr<const Serving> serving);

  void serve(http::IncomingRequest& request) const override;

 private:
  // Preflight or route, admit, read the body, run the action; throws what becomes an error response.
  // `metrics` is set, and started, once the request is known to be for an endpoint (or for none).
  http::Response handle(const Serving& serving, http::IncomingRequest& raw, http::Request& request,
                        const std::string& client_ip, std::string& route,
                        std::vector<std::pair<std::string, std::string>>& limit_headers,
                        observability::EndpointMetrics*& metrics) const;
  // Checks the policy of `binding`: auth, roles, rate limit. Fills the request's principal and the rate-limit
  // headers every response of a limited endpoint carries; throws HttpError to refuse.
  void admit(const Serving& serving, const EndpointBinding& binding, http::Request& request,
             const std::string& client_ip, std::vector<std::pair<std::string, std::string>>& limit_headers,
             const http::RequestHead& raw, observability::EndpointMetrics* metrics) const;

  std::atomic<std::shared_ptr<const Serving>> serving_;
};

}  // namespace p2j::endpoints
