#pragma once

#include "config/config.hpp"
#include "endpoints/endpoint_table.hpp"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <spdlog/logger.h>

#include <memory>

namespace p2j::http {

// The one request path: request id, routing (404/405), body limits (413), content type (415), JSON
// parsing (400), the action, error envelopes, and the access log line.
class Dispatcher : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Dispatcher(const endpoints::EndpointTable& table, const config::ServerConfig& server, bool access_log);

  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;
  void dispatch(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) const;

 private:
  const endpoints::EndpointTable& table_;
  int64_t max_body_bytes_;
  std::shared_ptr<spdlog::logger> access_log_;  // null when access logging is off
};

// The client's X-Request-ID when it is a sane token (1-128 of [A-Za-z0-9._:-]), else a fresh random id.
std::string requestIdFor(const std::string& client_value);

}  // namespace p2j::http
