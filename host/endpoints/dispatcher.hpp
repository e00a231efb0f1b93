#pragma once

#include "config/config.hpp"
#include "endpoints/endpoint_table.hpp"
#include "http/client_address.hpp"
#include "http/cors.hpp"
#include "http/rate_limiter.hpp"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <spdlog/logger.h>

#include <memory>

namespace p2j::endpoints {

// The one request path: request id, client address, CORS, routing (404/405), auth (401/403), rate
// limits (429), body limits (413), content type (415), JSON parsing (400), the action, error envelopes,
// and the access log line.
class Dispatcher : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  // Every request goes to one binding of `table`, which must outlive the dispatcher.
  Dispatcher(const EndpointTable& table, const config::Config& config,
             std::shared_ptr<http::RateLimitStore> rate_limits);

  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;
  void dispatch(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

 private:
  // Preflight or route, admit, read the body, run the action; throws what becomes an error response.
  // `body_read` is set once the body has been (or is being) read; a request refused before that still has
  // its body on the connection.
  http::Response handle(Poco::Net::HTTPServerRequest& raw, http::Request& request, const std::string& client_ip,
                        std::string& route, std::vector<std::pair<std::string, std::string>>& limit_headers,
                        bool& body_read) const;
  // Checks the policy of the binding at `endpoint`: auth, roles, rate limit. Fills the request's principal and the
  // rate-limit headers every response of a limited endpoint carries; throws HttpError to refuse.
  void admit(size_t endpoint, http::Request& request, const std::string& client_ip,
             std::vector<std::pair<std::string, std::string>>& limit_headers,
             const Poco::Net::HTTPServerRequest& raw) const;

  const EndpointTable& table_;
  int64_t max_body_bytes_;
  int max_json_depth_;
  int64_t max_string_bytes_;
  http::TrustedProxies trusted_proxies_;
  http::CorsPolicy cors_;
  std::shared_ptr<http::RateLimitStore> rate_limits_;
  std::shared_ptr<spdlog::logger> access_log_;  // null when access logging is off
};

// The client's X-http::Request-ID when it is a sane token (1-128 of [A-Za-z0-9._:-]), else a fresh random id.
std::string requestIdFor(const std::string& client_value);

}  // namespace p2j::endpoints
