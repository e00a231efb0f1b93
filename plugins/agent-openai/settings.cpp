#include "settings.hpp"

#include <p2j/sdk/config_defaults.hpp>
#include <p2j/sdk/json.hpp>
#include <p2j/sdk/plugin.hpp>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace p2j::agent_openai {

const char* const kConfigSchema = R"schema({
  "type": "object",
  "additionalProperties": false,
  "required": ["base_url", "model"],
  "properties": {
    "base_url": {"type": "string", "pattern": "^https?://",
                 "description": "The server's root URL; the agent posts to {base_url}/v1/chat/completions"},
    "model": {"type": "string", "minLength": 1},
    "api_key_file": {"type": "string", "minLength": 1, "format": "path",
                     "description": "A file holding the API key (one line); mode 0600 is advisable"},
    "api_key_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
                    "description": "An environment variable holding the API key; instead of api_key_file"},
    "temperature": {"type": "number", "minimum": 0, "maximum": 2, "default": 0},
    "max_tokens": {"type": "integer", "minimum": 256, "maximum": 131072, "default": 2048,
                   "description": "Completion tokens per round"},
    "max_tokens_field": {"enum": ["max_tokens", "max_completion_tokens"], "default": "max_tokens",
                         "description": "The request field max_tokens is sent as (OpenAI's o-series want max_completion_tokens)"},
    "timeout_ms": {"type": "integer", "minimum": 100, "maximum": 600000, "default": 30000,
                   "description": "The time one prompt may take, both rounds together"},
    "connect_timeout_ms": {"type": "integer", "minimum": 10, "maximum": 60000, "default": 5000},
    "token_budget": {"type": "integer", "minimum": 1024, "maximum": 1048576, "default": 12000,
                     "description": "Prompt + completion tokens one prompt may spend, both rounds together"},
    "system_prompt": {"type": "string", "minLength": 1, "maxLength": 32768,
                      "default": "You turn a request for a design into one design specification that follows the JSON Schema you are given. Take the design type, category, materials, dimensions, features and constraints from the request; infer what a designer would from what it says and use null for what cannot be known. Lengths are metres, areas square metres, volumes cubic metres, weights kilograms. Only buildings have stories (at least 1); for anything else stories is null. Keep lists short, specific and free of duplicates. If the request does not ask for the design of a building, vehicle, electronic device, appliance, piece of furniture or another physical product, refuse it."},
    "response_format": {"enum": ["json_schema", "json_object"], "default": "json_schema",
                        "description": "json_schema (strict structured outputs) where the server supports it, else json_object"},
    "max_in_flight": {"type": "integer", "minimum": 1, "maximum": 4096, "default": 8,
                      "description": "Calls to the server at once; more fail at once as unavailable"},
    "circuit_breaker": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "failure_threshold": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 5,
                              "description": "Consecutive failures that open the circuit"},
        "open_seconds": {"type": "number", "minimum": 0.1, "maximum": 3600, "default": 30,
                         "description": "How long an open circuit fails calls before one probe is let through"}
      }
    },
    "ca_file": {"type": "string", "minLength": 1, "format": "path",
                "description": "PEM file of extra trusted CAs for an https server with a private certificate"},
    "max_response_bytes": {"type": "integer", "minimum": 4096, "maximum": 67108864, "default": 1048576}
  }
})schema";

namespace {

std::string requiredText(const rapidjson::Value& config, const char* key) {
  return sdk::requireString(config, key, "");
}

int64_t integer(const rapidjson::Value& config, const char* key, std::string_view parent = "") {
  const auto value = sdk::optionalInteger(config, key, parent);
  if (!value) throw sdk::FieldError(sdk::joinPath(parent, key), "must be an integer");
  return *value;
}

double number(const rapidjson::Value& config, const char* key, std::string_view parent = "") {
  const auto value = sdk::optionalNumber(config, key, parent);
  if (!value) throw sdk::FieldError(sdk::joinPath(parent, key), "must be a number");
  return *value;
}

ServerAddress serverAddress(const std::string& base_url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(base_url);
  } catch (const Poco::Exception& e) {
    throw sdk::InvalidInput("base_url is not a URL: " + e.message());
  }
  // Credentials in the URL would end up in messages and logs: the key has its own settings.
  if (!uri.getUserInfo().empty()) throw sdk::InvalidInput("base_url must not hold credentials; use api_key_file");
  if (!uri.getRawQuery().empty() || !uri.getFragment().empty()) {
    throw sdk::InvalidInput("base_url must not have a query or fragment");
  }
  if (uri.getHost().empty()) throw sdk::InvalidInput("base_url has no host");
  ServerAddress address;
  address.https = uri.getScheme() == "https";
  address.host = uri.getHost();
  address.port = uri.getPort();
  std::string prefix = uri.getPath();
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  address.path = prefix + "/v1/chat/completions";
  return address;
}

// A key goes into an HTTP header: one token of visible ASCII, or the request could be split.
std::string checkedKey(std::string key, const std::string& source) {
  const size_t end = key.find_last_not_of(" \t\r\n");
  key.erase(end == std::string::npos ? 0 : end + 1);
  if (key.empty()) throw sdk::InvalidInput(source + " holds no API key");
  for (const char c : key) {
    if (c < 0x21 || c > 0x7e) throw sdk::InvalidInput(source + " must hold one API key on one line");
  }
  return key;
}

std::string readKeyFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw sdk::InvalidInput("cannot read api_key_file " + path + ": " + std::strerror(errno));
  std::ostringstream content;
  content << file.rdbuf();
  return checkedKey(content.str(), "api_key_file " + path);
}

}  // namespace

std::optional<std::string> processEnvironment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

Settings Settings::fromJson(const rapidjson::Value& given, const EnvironmentLookup& environment) {
  sdk::requireObject(given, "config");
  const rapidjson::Document config = sdk::withSchemaDefaults(kConfigSchema, given);

  Settings settings;
  settings.server = serverAddress(requiredText(config, "base_url"));
  settings.model = requiredText(config, "model");

  const auto key_file = sdk::optionalString(config, "api_key_file", "");
  const auto key_env = sdk::optionalString(config, "api_key_env", "");
  if (key_file && key_env) throw sdk::InvalidInput("set api_key_file or api_key_env, not both");
  if (key_file) settings.api_key = readKeyFile(*key_file);
  if (key_env) {
    const auto value = environment(*key_env);
    if (!value || value->empty()) throw sdk::InvalidInput("api_key_env: " + *key_env + " is not set");
    settings.api_key = checkedKey(*value, "api_key_env " + *key_env);
  }

  settings.temperature = number(config, "temperature");
  settings.max_tokens = integer(config, "max_tokens");
  settings.max_tokens_field = requiredText(config, "max_tokens_field");
  settings.timeout = std::chrono::milliseconds(integer(config, "timeout_ms"));
  settings.connect_timeout = std::chrono::milliseconds(integer(config, "connect_timeout_ms"));
  settings.token_budget = integer(config, "token_budget");
  if (settings.token_budget < settings.max_tokens) {
    throw sdk::InvalidInput("token_budget (" + std::to_string(settings.token_budget) +
                            ") is smaller than max_tokens (" + std::to_string(settings.max_tokens) +
                            "): not even one answer would fit");
  }
  settings.system_prompt = requiredText(config, "system_prompt");
  settings.response_format = requiredText(config, "response_format") == "json_object" ? ResponseFormat::kJsonObject
                                                                                      : ResponseFormat::kJsonSchema;
  settings.max_in_flight = static_cast<int>(integer(config, "max_in_flight"));
  const rapidjson::Value& breaker = sdk::requireObject(config["circuit_breaker"], "circuit_breaker");
  settings.failure_threshold = static_cast<int>(integer(breaker, "failure_threshold", "circuit_breaker"));
  settings.open_for =
      std::chrono::milliseconds(static_cast<int64_t>(number(breaker, "open_seconds", "circuit_breaker") * 1000));
  settings.ca_file = sdk::optionalString(config, "ca_file", "").value_or("");
  if (!settings.ca_file.empty() && !settings.server.https) {
    throw sdk::InvalidInput("ca_file is set, but base_url is not https");
  }
  settings.max_response_bytes = integer(config, "max_response_bytes");
  return settings;
}

}  // namespace p2j::agent_openai
