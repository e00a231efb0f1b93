// /openapi.json: the OpenAPI 3.1 description of the endpoints a config wires, built from each action's
// declaration (ApiDescription) and each endpoint's auth and rate limit, so what an operator adds in YAML
// is documented without a rebuild.
#pragma once

#include "config/config.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace p2j::endpoints {

// How an auth plugin instance asks for credentials, as an OpenAPI security scheme.
struct SecurityScheme {
  enum class Type { kApiKey, kHttp };
  Type type = Type::kHttp;
  std::string scheme;  // kHttp: the RFC 7235 scheme, lower-case ("bearer", "basic")
  std::string header;  // kApiKey: the header that carries the key
  std::string description;
};

// Reads a WWW-Authenticate challenge: `Bearer realm="p2j"` is an http bearer scheme, `ApiKey realm="p2j",
// header="X-API-Key"` an API key in that header; nullopt when it names no scheme.
std::optional<SecurityScheme> securitySchemeFromChallenge(std::string_view challenge);

// The scheme of the auth plugin instance with this name.
using SecuritySchemeLookup = std::function<SecurityScheme(const std::string& instance)>;

// The document for every endpoint of `config` (which validateEndpoints accepted). Throws std::logic_error
// when an action's declaration is incomplete or not valid JSON: a bug in the action, which the unit tests
// catch before a server ever starts with it.
std::string buildOpenApiDocument(const config::Config& config, const SecuritySchemeLookup& scheme_of);

// "POST" + "/specs/{id}" -> "postSpecsById": stable, unique per route, readable in URLs of the docs.
std::string operationId(const std::string& method, const std::string& path);

}  // namespace p2j::endpoints
