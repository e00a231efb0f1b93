#include "http/cors.hpp"

#include "http/http_error.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace p2j::http {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool containsIgnoringCase(const std::vector<std::string>& items, const std::string& wanted) {
  return std::any_of(items.begin(), items.end(),
                     [&](const std::string& item) { return lowered(item) == lowered(wanted); });
}

}  // namespace

CorsPolicy::CorsPolicy(const config::CorsConfig& config)
    : config_(config),
      wildcard_(std::find(config.allow_origins.begin(), config.allow_origins.end(), "*") !=
                config.allow_origins.end()) {}

bool CorsPolicy::allows(const std::string& origin) const {
  if (!config_.enabled || origin.empty()) return false;
  return wildcard_ ||
         std::find(config_.allow_origins.begin(), config_.allow_origins.end(), origin) != config_.allow_origins.end();
}

Response CorsPolicy::preflight(const std::string& origin, const std::string& method, const std::string& request_headers,
                               const std::string& request_id) const {
  auto refuse = [&](const std::string& why) {
    return jsonResponse(errorBody(403, "cors_forbidden", why, request_id), 403);
  };
  if (!allows(origin)) return refuse("cross-origin requests from this origin are not allowed");
  if (!containsIgnoringCase(config_.allow_methods, method))
    return refuse("the method " + method + " is not allowed cross-origin");
  std::stringstream headers(request_headers);
  std::string header;
  while (std::getline(headers, header, ',')) {
    const size_t first = header.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    header = header.substr(first, header.find_last_not_of(" \t") - first + 1);
    if (!containsIgnoringCase(config_.allow_headers, header))
      return refuse("the header " + header + " is not allowed cross-origin");
  }
  Response response;
  response.status = 204;
  response.content_type = "text/plain";
  response.headers = {{"Access-Control-Allow-Origin", wildcard_ ? "*" : origin},
                      {"Access-Control-Allow-Methods", join(config_.allow_methods)},
                      {"Access-Control-Allow-Headers", join(config_.allow_headers)},
                      {"Access-Control-Max-Age", std::to_string(config_.max_age_seconds)},
                      {"Vary", "Origin"}};
  if (config_.allow_credentials) response.headers.emplace_back("Access-Control-Allow-Credentials", "true");
  return response;
}

void CorsPolicy::decorate(const std::string& origin, Response& response) const {
  if (!allows(origin)) return;
  response.headers.emplace_back("Access-Control-Allow-Origin", wildcard_ ? "*" : origin);
  response.headers.emplace_back("Vary", "Origin");
  if (!config_.expose_headers.empty())
    response.headers.emplace_back("Access-Control-Expose-Headers", join(config_.expose_headers));
  if (config_.allow_credentials) response.headers.emplace_back("Access-Control-Allow-Credentials", "true");
}

}  // namespace p2j::http
