#pragma once

#include "config/config.hpp"
#include "endpoints/endpoint_table.hpp"
#include "http/client_address.hpp"
#include "http/cors.hpp"
#include "http/endpoint_policy.hpp"
#include "http/rate_limiter.hpp"
#include "observability/http_metrics.hpp"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <spdlog/logger.h>

#include <memory>

namespace p2j::http {

// The one request path: request id, client address, CORS, routing (404/405), auth (401/403), rate
// limits (429), body limits (413), content type (415), JSON parsing (400), the action, error envelopes,
// and the access log line.
class Dispatcher : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  // `policies` has one entry per endpoint of `table`, in order.
  Dispatcher(const endpoints::EndpointTable& table, std::vector<EndpointPolicy> policies, const config::Config& config,
             std::shared_ptr<RateLimitStore> rate_limits);

  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;
  void dispatch(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

 private:
  // Preflight or route, admit, read the body, run the action; throws what becomes an error response.
  // `metrics` is set, and started, once the request is known to be for an endpoint (or none).
  Response handle(Poco::Net::HTTPServerRequest& raw, Request& request, const std::string& client_ip, std::string& route,
                  std::vector<std::pair<std::string, std::string>>& limit_headers,
                  observability::EndpointMetrics*& metrics) const;
  // Checks the policy of `endpoint`: auth, roles, rate limit. Fills the request's principal and the
  // rate-limit headers every response of a limited endpoint carries; throws HttpError to refuse.
  void admit(size_t endpoint, Request& request, const std::string& client_ip,
             std::vector<std::pair<std::string, std::string>>& limit_headers, const Poco::Net::HTTPServerRequest& raw,
             observability::EndpointMetrics* metrics) const;

  const endpoints::EndpointTable& table_;
  std::vector<EndpointPolicy> policies_;
  int64_t max_body_bytes_;
  int max_json_depth_;
  int64_t max_string_bytes_;
  TrustedProxies trusted_proxies_;
  CorsPolicy cors_;
  std::shared_ptr<RateLimitStore> rate_limits_;
  spdlog::logger* access_log_ = nullptr;  // null when access logging is off
  // Resolved per endpoint now, so recording a request looks nothing up; null when metrics are disabled.
  std::unique_ptr<observability::HttpMetrics> metrics_;
};

// The client's X-Request-ID when it is a sane token (1-128 of [A-Za-z0-9._:-]), else a fresh random id.
std::string requestIdFor(const std::string& client_value);

}  // namespace p2j::http
