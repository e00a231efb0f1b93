#include "endpoints/dispatcher.hpp"

#include "http/http_error.hpp"
#include "http/json_limits.hpp"
#include "http/request_id.hpp"
#include "observability/log_context.hpp"
#include "observability/logging.hpp"
#include "observability/request_stats.hpp"
#include "plugins/plugin_instance.hpp"

#include <p2j/sdk/json.hpp>

#include <charconv>
#include <chrono>

namespace p2j::endpoints {
namespace {

bool isJsonMediaType(std::string_view content_type) {
  const std::string_view media = content_type.substr(0, content_type.find(';'));
  std::string lowered;
  for (const char c : media) {
    if (c != ' ' && c != '\t') lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lowered == "application/json" || (lowered.starts_with("application/") && lowered.ends_with("+json"));
}

http::HttpError fromPluginError(const plugins::PluginCallError& error) {
  spdlog::logger& log = observability::log(observability::Log::kPlugins);
  switch (error.status()) {
    case P2J_REFUSED:
      return http::HttpError(422, "prompt_refused", error.what());
    case P2J_INVALID_INPUT:
      return http::HttpError(422, "validation_error", error.what());
    case P2J_NOT_FOUND:
      return http::notFound(error.what());
    case P2J_UNAVAILABLE:
      log.error("plugin instance '{}' unavailable: {}", error.instance(), error.what());
      return http::HttpError(503, "service_unavailable", "a backing service is unavailable; retry later")
          .withHeader("Retry-After", "5");
    case P2J_OK:
    case P2J_INTERNAL:
      break;
  }
  log.error("plugin instance '{}' failed: {}", error.instance(), error.what());
  return http::HttpError(500, "internal_error", "an internal error occurred; quote the request id when reporting it");
}

}  // namespace

Serving::Serving(const EndpointTable& endpoint_table, const config::Config& config,
                 std::shared_ptr<http::RateLimitStore> limits)
    : table(endpoint_table),
      max_body_bytes(config.server.max_body_bytes),
      max_json_depth(config.server.max_json_depth),
      max_string_bytes(config.server.max_string_bytes),
      trusted_proxies(config.server.trusted_proxies),
      cors(config.cors),
      rate_limits(std::move(limits)),
      access_log(config.logging.access_log) {}

Dispatcher::Dispatcher(std::shared_ptr<const Serving> serving) : serving_(std::move(serving)) {}

void Dispatcher::install(std::shared_ptr<const Serving> serving) {
  serving_.store(std::move(serving), std::memory_order_release);
}

http::Response Dispatcher::handle(const Serving& serving, http::IncomingRequest& incoming, http::Request& request,
                                  const std::string& client_ip, std::string& route,
                                  std::vector<std::pair<std::string, std::string>>& limit_headers,
                                  observability::EndpointMetrics*& metrics) const {
  const EndpointTable& table = serving.table;
  observability::HttpMetrics* const series = table.metrics();
  auto measure = [&](const http::RouteMatch& match) {
    if (series == nullptr) return;
    metrics = match.outcome == http::RouteMatch::Outcome::kFound ? &series->endpoint(match.endpoint, request.method)
                                                                 : &series->unmatched(request.method);
    metrics->started();
  };
  const http::RequestHead& raw = incoming.head();
  const auto wanted_method = raw.header("Access-Control-Request-Method");
  if (request.method == "OPTIONS" && serving.cors.enabled() && wanted_method) {
    const std::string wanted(*wanted_method);
    const http::RouteMatch preflight = table.router().match(wanted, request.path);
    measure(preflight);
    if (preflight.outcome == http::RouteMatch::Outcome::kNotFound) throw http::notFound("no endpoint at this path");
    route = "preflight";
    return serving.cors.preflight(std::string(raw.header("Origin").value_or("")), wanted,
                                  std::string(raw.header("Access-Control-Request-Headers").value_or("")),
                                  request.request_id);
  }
  http::RouteMatch match = table.router().match(request.method, request.path);
  measure(match);
  if (match.outcome == http::RouteMatch::Outcome::kNotFound) throw http::notFound("no endpoint at this path");
  if (match.outcome == http::RouteMatch::Outcome::kMethodNotAllowed) {
    throw http::HttpError(405, "method_not_allowed", request.method + " is not allowed here; allowed: " + match.allow)
        .withHeader("Allow", match.allow);
  }
  const EndpointBinding& binding = table.binding(match.endpoint);
  route = binding.path;
  request.parameters = std::move(match.parameters);
  admit(serving, binding, request, client_ip, limit_headers, raw, metrics);
  if (binding.descriptor->takes_json_body) {
    if (!isJsonMediaType(raw.header("Content-Type").value_or(""))) {
      throw http::HttpError(415, "unsupported_media_type", "send the body as application/json");
    }
    request.body = incoming.readBody(serving.max_body_bytes);
    if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
      throw http::badRequest("the request body is empty; send a JSON object");
    }
    http::checkJsonLimits(request.body, serving.max_json_depth, serving.max_string_bytes);
    try {
      // In place: the body's strings are decoded where they stand instead of copied into the document (a
      // posted spec's strings are most of /evaluate's parse).
      sdk::detail::refuseNul(request.body);
      request.json.ParseInsitu(request.body.data());
      if (request.json.HasParseError()) {
        throw sdk::detail::syntaxError(request.json.GetErrorOffset(), request.json.GetParseError());
      }
    } catch (const sdk::JsonSyntaxError& e) {
      throw http::badRequest(std::string("malformed JSON: ") + e.what());
    }
  } else {
    incoming.readBody(serving.max_body_bytes);  // drain it, so the connection can carry the next request
  }
  return binding.action->handle(request);
}

void Dispatcher::admit(const Serving& serving, const EndpointBinding& binding, http::Request& request,
                       const std::string& client_ip, std::vector<std::pair<std::string, std::string>>& limit_headers,
                       const http::RequestHead& raw, observability::EndpointMetrics* metrics) const {
  const EndpointPolicy& policy = binding.policy;
  // Counters are keyed by route, not by the endpoint's position, so a reload that adds or moves endpoints
  // keeps every caller's budget where it was.
  auto countAgainst = [&](const std::string& who) {
    const http::RateDecision decision = serving.rate_limits->hit(binding.method + " " + binding.path + "|" + who,
                                                                 *policy.rate_limit, std::chrono::system_clock::now());
    limit_headers = {{"RateLimit-Limit", std::to_string(decision.limit)},
                     {"RateLimit-Remaining", std::to_string(decision.remaining)},
                     {"RateLimit-Reset", std::to_string(decision.reset_seconds)}};
    if (!decision.allowed) {
      if (metrics != nullptr) metrics->rateLimited();
      throw http::HttpError(429, "rate_limited", "more than " + policy.rate_limit->text + " requests; retry later")
          .withHeader("Retry-After", std::to_string(decision.retry_after_seconds));
    }
  };
  if (!policy.auth.empty()) {
    plugins::AuthInput auth_request(request.method, request.path, client_ip, raw.headers.size());
    for (const auto& [name, value] : raw.headers) auth_request.addHeader(name, value);
    try {
      const Principal principal = authenticate(policy, auth_request);
      request.subject = principal.subject;
      request.roles = principal.roles;
    } catch (const http::HttpError& refusal) {
      observability::log(observability::Log::kAuth).debug("refused {}: {}", refusal.status(), refusal.what());
      // Failed attempts spend the client address's budget, so credentials cannot be guessed at full speed.
      if (policy.rate_limit && refusal.status() == 401) countAgainst("ip:" + client_ip);
      throw;
    }
  }
  if (policy.rate_limit) countAgainst(request.subject.empty() ? "ip:" + client_ip : "principal:" + request.subject);
}

void Dispatcher::serve(http::IncomingRequest& incoming) const {
  const auto started = std::chrono::steady_clock::now();
  observability::requestStats().started();
  // The whole request runs on this one configuration, even when a reload installs another meanwhile.
  const std::shared_ptr<const Serving> current = serving_.load(std::memory_order_acquire);
  const Serving& serving = *current;
  const http::RequestHead& raw = incoming.head();
  http::Request request;
  request.request_id = http::requestIdFor(std::string(raw.header("X-Request-ID").value_or("")));
  // Every line logged while this request is served carries its id.
  const observability::RequestLogScope log_scope(request.request_id);
  request.method = raw.method;
  const std::string_view uri = raw.target;
  const size_t query_at = uri.find('?');
  request.path = uri.substr(0, query_at);
  if (query_at != std::string_view::npos) request.query = uri.substr(query_at + 1);
  request.header = [&raw](const std::string& name) -> std::optional<std::string> {
    const auto value = raw.header(name);
    if (!value) return std::nullopt;
    return std::string(*value);
  };
  std::vector<std::string> forwarded_for;
  for (const auto& [name, value] : raw.headers) {
    if (http::equalsIgnoringCase(name, "X-Forwarded-For")) forwarded_for.emplace_back(value);
  }
  const std::string client_ip = serving.trusted_proxies.clientAddress(incoming.peerAddress(), forwarded_for);

  std::string route = "-";
  http::Response response;
  std::vector<std::pair<std::string, std::string>> limit_headers;
  observability::EndpointMetrics* metrics = nullptr;
  bool keep_alive = true;
  try {
    response = handle(serving, incoming, request, client_ip, route, limit_headers, metrics);
  } catch (const http::HttpError& e) {
    response =
        http::jsonResponse(http::errorBody(e.status(), e.code(), e.what(), request.request_id, e.field()), e.status());
    response.headers = e.headers();
  } catch (const http::BodyTooLarge& e) {
    response = http::jsonResponse(
        http::errorBody(413, "payload_too_large",
                        "the request body is larger than " + std::to_string(e.limit) + " bytes", request.request_id),
        413);
    keep_alive = e.drained;  // the unread rest of a body would poison the connection
  } catch (const plugins::PluginCallError& e) {
    const http::HttpError mapped = fromPluginError(e);
    response = http::jsonResponse(http::errorBody(mapped.status(), mapped.code(), mapped.what(), request.request_id),
                                  mapped.status());
    response.headers = mapped.headers();
  } catch (const sdk::FieldError& e) {
    response =
        http::jsonResponse(http::errorBody(422, "validation_error", e.what(), request.request_id, e.path()), 422);
  } catch (const http::BodyReadError& e) {
    observability::log(observability::Log::kHttp).warn("the request body could not be read: {}", e.what());
    keep_alive = false;
    response = http::jsonResponse(
        http::errorBody(400, "bad_request", std::string("the request body could not be read: ") + e.what(),
                        request.request_id),
        400);
  } catch (const std::exception& e) {
    observability::log(observability::Log::kHttp).error("{} {} failed: {}", request.method, route, e.what());
    response = http::jsonResponse(
        http::errorBody(500, "internal_error", "an internal error occurred; quote the request id when reporting it",
                        request.request_id),
        500);
  }
  // A body refused unread (401, 404, 415, …) is read off, or the connection closes: the connection knows which.
  if (keep_alive) keep_alive = incoming.discardBody(serving.max_body_bytes);
  response.headers.insert(response.headers.end(), limit_headers.begin(), limit_headers.end());
  if (route != "preflight") serving.cors.decorate(std::string(raw.header("Origin").value_or("")), response);
  // Counted before it is sent, so that a client which has its answer finds it in the statistics.
  const double elapsed_seconds = observability::secondsSince(started);
  observability::requestStats().finished(response.status, elapsed_seconds);
  if (metrics != nullptr) {
    const int64_t request_bytes =
        request.body.empty() ? raw.content_length.value_or(0) : static_cast<int64_t>(request.body.size());
    metrics->finished(response.status, elapsed_seconds, request_bytes, response.body.size());
  }
  incoming.respond(response, request.request_id, keep_alive);

  spdlog::logger& access_log = observability::log(observability::Log::kAccess);
  if (!serving.access_log || !access_log.should_log(spdlog::level::info)) return;
  char status_text[8];
  char duration_text[32];
  char bytes_text[24];
  auto text = [](char* first, char* last, auto value, auto... format) {
    return std::string_view(first, static_cast<size_t>(std::to_chars(first, last, value, format...).ptr - first));
  };
  const std::string_view path = std::string_view(request.path).substr(0, 256);
  const observability::LogField fields[] = {
      {.key = "method", .value = request.method, .in_text = false},
      {.key = "path", .value = path, .in_text = false},
      {.key = "route", .value = route},
      {.key = "status", .value = text(status_text, status_text + sizeof status_text, response.status), .number = true},
      {.key = "duration_ms",
       .value = text(duration_text, duration_text + sizeof duration_text, elapsed_seconds * 1000,
                     std::chars_format::fixed, 3),
       .number = true},
      {.key = "bytes", .value = text(bytes_text, bytes_text + sizeof bytes_text, response.body.size()), .number = true},
      {.key = "client", .value = client_ip},
      {.key = "principal", .value = request.subject.empty() ? std::string_view("-") : request.subject},
  };
  const observability::LogFieldsScope with_fields(fields);
  access_log.info("{} {}", request.method, path);
}

}  // namespace p2j::endpoints
