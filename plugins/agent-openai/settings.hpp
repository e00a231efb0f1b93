// The agent-openai instance config: its JSON Schema (every default written there once) and the typed
// settings built from it, with the API key read from its file or environment variable.
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace p2j::agent_openai {

extern const char* const kConfigSchema;

// Where the chat completions are posted: {base_url}/v1/chat/completions.
struct ServerAddress {
  bool https = false;
  std::string host;
  uint16_t port = 0;
  std::string path;  // "/v1/chat/completions", after base_url's own path when it has one
};

enum class ResponseFormat {
  kJsonSchema,  // response_format json_schema, strict: the server constrains decoding to the schema
  kJsonObject,  // response_format json_object: JSON only, the schema goes into the system prompt
};

struct Settings {
  ServerAddress server;
  std::string model;
  std::optional<std::string> api_key;  // sent as "Authorization: Bearer"; never in a message or log
  double temperature = 0;
  int64_t max_tokens = 0;
  std::string max_tokens_field;          // "max_tokens", or "max_completion_tokens" for OpenAI's reasoning models
  std::chrono::milliseconds timeout{0};  // one generate(), both rounds
  std::chrono::milliseconds connect_timeout{0};
  int64_t token_budget = 0;  // prompt + completion tokens of one generate(), both rounds
  std::string system_prompt;
  ResponseFormat response_format = ResponseFormat::kJsonSchema;
  int max_in_flight = 0;
  int failure_threshold = 0;
  std::chrono::milliseconds open_for{0};
  std::string ca_file;  // extra trusted CAs (PEM) for a self-hosted https server; empty: the system's
  int64_t max_response_bytes = 0;

  using EnvironmentLookup = std::function<std::optional<std::string>(const std::string&)>;

  // `config` was validated against kConfigSchema by the host. Throws sdk::InvalidInput for what the
  // schema cannot say (base_url's parts, the key's source); no message ever contains the key.
  static Settings fromJson(const rapidjson::Value& config, const EnvironmentLookup& environment);
};

// getenv, for the plugin; tests pass their own.
std::optional<std::string> processEnvironment(const std::string& name);

}  // namespace p2j::agent_openai
