#include "endpoints/dispatcher.hpp"

#include "http/http_error.hpp"
#include "http/json_limits.hpp"
#include "http/request_id.hpp"
#include "observability/request_stats.hpp"
#include "plugins/plugin_instance.hpp"

#include <p2j/sdk/json.hpp>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <istream>
#include <limits>

namespace p2j::endpoints {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(const Dispatcher& dispatcher) : dispatcher_(dispatcher) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    dispatcher_.dispatch(request, response);
  }

 private:
  const Dispatcher& dispatcher_;
};

bool isJsonMediaType(const std::string& content_type) {
  const std::string media = content_type.substr(0, content_type.find(';'));
  std::string lowered;
  for (const char c : media) {
    if (c != ' ' && c != '\t') lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lowered == "application/json" || (lowered.starts_with("application/") && lowered.ends_with("+json"));
}

// A body declared this much over the limit is still read and thrown away before the 413, so the client,
// which is usually still sending, gets the answer instead of a connection reset. Beyond it the 413 goes
// out at once and the connection is closed.
constexpr int64_t kDiscardAllowanceBytes = 4 * 1024 * 1024;

// Thrown by readBody; `drained` says whether the connection can carry another request.
struct BodyTooLarge {
  int64_t limit;
  bool drained;
};

// Reads at most `limit` bytes of body; throws 413 beyond.
std::string readBody(Poco::Net::HTTPServerRequest& request, int64_t limit) {
  // Without Content-Length or chunked encoding a request has no body (RFC 9112 6.3); Poco would instead
  // read a POST or OPTIONS until the client closes the connection.
  if (!request.hasContentLength() && !request.getChunkedTransferEncoding()) return {};
  const std::streamsize declared = request.getContentLength64();
  if (declared > limit) {
    if (declared - limit <= kDiscardAllowanceBytes) {
      request.stream().ignore(std::numeric_limits<std::streamsize>::max());
      throw BodyTooLarge{limit, true};
    }
    throw BodyTooLarge{limit, false};
  }
  std::string body;
  if (declared == 0) return body;
  if (declared > 0) body.reserve(static_cast<size_t>(declared));
  std::istream& in = request.stream();
  char chunk[16384];
  while (in) {
    in.read(chunk, sizeof chunk);
    const std::streamsize got = in.gcount();
    if (got <= 0) break;
    if (static_cast<int64_t>(body.size()) + got > limit) throw BodyTooLarge{limit, false};
    body.append(chunk, static_cast<size_t>(got));
  }
  return body;
}

// Reads and throws away the rest of a body nobody read (the request was refused first), so that the
// connection can carry the next request; false when that is not possible or not worth it: then the
// connection must close, or the leftover bytes would be read as the next request.
bool discardBody(Poco::Net::HTTPServerRequest& request, int64_t limit) {
  try {
    readBody(request, limit);
    return true;
  } catch (const BodyTooLarge& e) {
    return e.drained;
  } catch (const std::exception&) {
    return false;
  }
}

http::HttpError fromPluginError(const plugins::PluginCallError& error, const std::string& request_id) {
  switch (error.status()) {
    case P2J_REFUSED:
      return http::HttpError(422, "prompt_refused", error.what());
    case P2J_INVALID_INPUT:
      return http::HttpError(422, "validation_error", error.what());
    case P2J_NOT_FOUND:
      return http::notFound(error.what());
    case P2J_UNAVAILABLE:
      spdlog::error("request {}: plugin instance '{}' unavailable: {}", request_id, error.instance(), error.what());
      return http::HttpError(503, "service_unavailable", "a backing service is unavailable; retry later")
          .withHeader("Retry-After", "5");
    case P2J_OK:
    case P2J_INTERNAL:
      break;
  }
  spdlog::error("request {}: plugin instance '{}' failed: {}", request_id, error.instance(), error.what());
  return http::HttpError(500, "internal_error", "an internal error occurred; quote the request id when reporting it");
}

}  // namespace

Dispatcher::Dispatcher(const EndpointTable& table, const config::Config& config,
                       std::shared_ptr<http::RateLimitStore> rate_limits)
    : table_(table),
      max_body_bytes_(config.server.max_body_bytes),
      max_json_depth_(config.server.max_json_depth),
      max_string_bytes_(config.server.max_string_bytes),
      trusted_proxies_(config.server.trusted_proxies),
      cors_(config.cors),
      rate_limits_(std::move(rate_limits)) {
  if (config.logging.access_log) {
    access_log_ = spdlog::get("access");
    if (!access_log_) access_log_ = spdlog::default_logger()->clone("access");
  }
}

Poco::Net::HTTPRequestHandler* Dispatcher::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
  return new Handler(*this);
}

http::Response Dispatcher::handle(Poco::Net::HTTPServerRequest& raw, http::Request& request,
                                  const std::string& client_ip, std::string& route,
                                  std::vector<std::pair<std::string, std::string>>& limit_headers,
                                  bool& body_read) const {
  if (request.method == "OPTIONS" && cors_.enabled() && raw.has("Access-Control-Request-Method")) {
    const std::string wanted = raw.get("Access-Control-Request-Method");
    if (table_.router().match(wanted, request.path).outcome == http::RouteMatch::Outcome::kNotFound) {
      throw http::notFound("no endpoint at this path");
    }
    route = "preflight";
    return cors_.preflight(raw.get("Origin", ""), wanted, raw.get("Access-Control-Request-Headers", ""),
                           request.request_id);
  }
  http::RouteMatch match = table_.router().match(request.method, request.path);
  if (match.outcome == http::RouteMatch::Outcome::kNotFound) throw http::notFound("no endpoint at this path");
  if (match.outcome == http::RouteMatch::Outcome::kMethodNotAllowed) {
    throw http::HttpError(405, "method_not_allowed", request.method + " is not allowed here; allowed: " + match.allow)
        .withHeader("Allow", match.allow);
  }
  const EndpointBinding& binding = table_.binding(match.endpoint);
  route = binding.path;
  request.parameters = std::move(match.parameters);
  admit(match.endpoint, request, client_ip, limit_headers, raw);
  if (binding.descriptor->takes_json_body) {
    if (!isJsonMediaType(raw.getContentType())) {
      throw http::HttpError(415, "unsupported_media_type", "send the body as application/json");
    }
    body_read = true;
    request.body = readBody(raw, max_body_bytes_);
    if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
      throw http::badRequest("the request body is empty; send a JSON object");
    }
    http::checkJsonLimits(request.body, max_json_depth_, max_string_bytes_);
    try {
      request.json = sdk::parseJson(request.body);
    } catch (const sdk::JsonSyntaxError& e) {
      throw http::badRequest(std::string("malformed JSON: ") + e.what());
    }
  } else {
    body_read = true;
    readBody(raw, max_body_bytes_);  // drain it, so the connection can carry the next request
  }
  return binding.action->handle(request);
}

void Dispatcher::admit(size_t endpoint, http::Request& request, const std::string& client_ip,
                       std::vector<std::pair<std::string, std::string>>& limit_headers,
                       const Poco::Net::HTTPServerRequest& raw) const {
  const EndpointPolicy& policy = table_.binding(endpoint).policy;
  auto countAgainst = [&](const std::string& who) {
    // Keyed by the route, not its position in the file, so processes sharing a store share the budget even
    // while their configurations differ (a rolling upgrade that adds an endpoint).
    const EndpointBinding& bound = table_.binding(endpoint);
    const http::RateDecision decision = rate_limits_->hit(bound.method + " " + bound.path + "|" + who,
                                                          *policy.rate_limit, std::chrono::system_clock::now());
    limit_headers = {{"RateLimit-Limit", std::to_string(decision.limit)},
                     {"RateLimit-Remaining", std::to_string(decision.remaining)},
                     {"RateLimit-Reset", std::to_string(decision.reset_seconds)}};
    if (!decision.allowed) {
      throw http::HttpError(429, "rate_limited", "more than " + policy.rate_limit->text + " requests; retry later")
          .withHeader("Retry-After", std::to_string(decision.retry_after_seconds));
    }
  };
  if (!policy.auth.empty()) {
    sdk::AuthRequest auth_request;
    auth_request.method = request.method;
    auth_request.path = request.path;
    auth_request.client_ip = client_ip;
    for (const auto& [name, value] : raw) {
      std::string lowered = name;
      std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
      auth_request.headers[lowered].push_back(value);
    }
    try {
      const Principal principal = authenticate(policy, auth_request);
      request.subject = principal.subject;
      request.roles = principal.roles;
    } catch (const http::HttpError& refusal) {
      // Failed attempts spend the client address's budget, so credentials cannot be guessed at full speed.
      if (policy.rate_limit && refusal.status() == 401) countAgainst("ip:" + client_ip);
      throw;
    }
  }
  if (policy.rate_limit) countAgainst(request.subject.empty() ? "ip:" + client_ip : "principal:" + request.subject);
}

void Dispatcher::dispatch(Poco::Net::HTTPServerRequest& raw, Poco::Net::HTTPServerResponse& out) const {
  const auto started = std::chrono::steady_clock::now();
  observability::requestStats().started();
  http::Request request;
  request.request_id = http::requestIdFor(raw.get("X-Request-ID", ""));
  request.method = raw.getMethod();
  const std::string& uri = raw.getURI();
  const size_t query_at = uri.find('?');
  request.path = uri.substr(0, query_at);
  if (query_at != std::string::npos) request.query = uri.substr(query_at + 1);
  request.header = [&raw](const std::string& name) -> std::optional<std::string> {
    if (!raw.has(name)) return std::nullopt;
    return raw.get(name);
  };
  std::vector<std::string> forwarded_for;
  for (auto it = raw.find("X-Forwarded-For"); it != raw.end() && Poco::icompare(it->first, "X-Forwarded-For") == 0;
       ++it) {
    forwarded_for.push_back(it->second);
  }
  const std::string client_ip = trusted_proxies_.clientAddress(raw.clientAddress().host().toString(), forwarded_for);

  std::string route = "-";
  http::Response response;
  std::vector<std::pair<std::string, std::string>> limit_headers;
  bool keep_alive = true;
  bool body_read = false;
  try {
    response = handle(raw, request, client_ip, route, limit_headers, body_read);
  } catch (const http::HttpError& e) {
    response =
        http::jsonResponse(http::errorBody(e.status(), e.code(), e.what(), request.request_id, e.field()), e.status());
    response.headers = e.headers();
  } catch (const BodyTooLarge& e) {
    response = http::jsonResponse(
        http::errorBody(413, "payload_too_large",
                        "the request body is larger than " + std::to_string(e.limit) + " bytes", request.request_id),
        413);
    keep_alive = e.drained;  // the unread rest of a body would poison the connection
  } catch (const plugins::PluginCallError& e) {
    const http::HttpError mapped = fromPluginError(e, request.request_id);
    response = http::jsonResponse(http::errorBody(mapped.status(), mapped.code(), mapped.what(), request.request_id),
                                  mapped.status());
    response.headers = mapped.headers();
  } catch (const sdk::FieldError& e) {
    response =
        http::jsonResponse(http::errorBody(422, "validation_error", e.what(), request.request_id, e.path()), 422);
  } catch (const Poco::Net::NetException& e) {
    spdlog::warn("request {}: connection error while reading: {}", request.request_id, e.displayText());
    keep_alive = false;
    response = http::jsonResponse(
        http::errorBody(400, "bad_request", "the request could not be read", request.request_id), 400);
  } catch (const std::exception& e) {
    spdlog::error("request {}: {} {} failed: {}", request.request_id, request.method, route, e.what());
    response = http::jsonResponse(
        http::errorBody(500, "internal_error", "an internal error occurred; quote the request id when reporting it",
                        request.request_id),
        500);
  }
  if (!body_read && keep_alive) keep_alive = discardBody(raw, max_body_bytes_);
  response.headers.insert(response.headers.end(), limit_headers.begin(), limit_headers.end());
  if (route != "preflight") cors_.decorate(raw.get("Origin", ""), response);

  const auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status);
  out.setStatusAndReason(status, Poco::Net::HTTPResponse::getReasonForStatus(status));
  out.setContentType(response.content_type);
  out.set("X-Request-ID", request.request_id);
  for (const auto& [name, value] : response.headers) out.add(name, value);
  if (!keep_alive) out.setKeepAlive(false);
  out.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
  try {
    if (request.method == "HEAD") {
      out.send();
    } else {
      out.sendBuffer(response.body.data(), response.body.size());
    }
  } catch (const std::exception& e) {
    spdlog::debug("request {}: client went away before the response was sent: {}", request.request_id, e.what());
  }

  const double elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  observability::requestStats().finished(response.status, elapsed_seconds);
  if (access_log_) {
    const double elapsed_ms = elapsed_seconds * 1000.0;
    access_log_->info("{} {} route={} status={} duration_ms={:.3f} bytes={} request_id={} client={} principal={}",
                      request.method, request.path.substr(0, 256), route, response.status, elapsed_ms,
                      response.body.size(), request.request_id, client_ip,
                      request.subject.empty() ? "-" : request.subject);
  }
}

}  // namespace p2j::endpoints
