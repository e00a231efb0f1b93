#include "endpoints/json_body.hpp"

#include "http/http_error.hpp"

#include <p2j/sdk/json.hpp>

#include <charconv>

namespace p2j::endpoints {

const rapidjson::Value& requireObjectBody(const rapidjson::Value& body) {
  if (!body.IsObject()) throw http::unprocessable("the request body must be a JSON object");
  return body;
}

std::optional<std::string> promptProblem(std::string_view prompt) {
  if (prompt.size() > kMaxPromptBytes) return "must be at most " + std::to_string(kMaxPromptBytes) + " bytes";
  if (!sdk::isStorableText(prompt)) return std::string(kNotStorableText);
  return std::nullopt;
}

std::string requirePrompt(const rapidjson::Value& body) {
  requireObjectBody(body);
  const auto* prompt = sdk::findMember(body, "prompt");
  if (prompt == nullptr) throw http::unprocessable("prompt: is required", "prompt");
  if (!prompt->IsString()) throw http::unprocessable("prompt: must be a string", "prompt");
  if (const auto problem = promptProblem({prompt->GetString(), prompt->GetStringLength()})) {
    throw http::unprocessable("prompt: " + *problem, "prompt");
  }
  return {prompt->GetString(), prompt->GetStringLength()};
}

std::string requireText(const rapidjson::Value& body, const char* key, size_t max_bytes) {
  requireObjectBody(body);
  const auto* value = sdk::findMember(body, key);
  if (value == nullptr) throw http::unprocessable(std::string(key) + ": is required", key);
  if (!value->IsString()) throw http::unprocessable(std::string(key) + ": must be a string", key);
  if (value->GetStringLength() > max_bytes) {
    throw http::unprocessable(std::string(key) + ": must be at most " + std::to_string(max_bytes) + " bytes", key);
  }
  if (!sdk::isStorableText({value->GetString(), value->GetStringLength()})) {
    throw http::unprocessable(std::string(key) + ": " + kNotStorableText, key);
  }
  return {value->GetString(), value->GetStringLength()};
}

int64_t optionalInteger(const rapidjson::Value& body, const char* key, int64_t fallback, int64_t min, int64_t max) {
  requireObjectBody(body);
  const auto* value = sdk::findMember(body, key);
  if (value == nullptr) return fallback;
  int64_t number = 0;
  bool parsed = false;
  if (value->IsInt64()) {
    number = value->GetInt64();
    parsed = true;
  } else if (value->IsString()) {
    const char* begin = value->GetString();
    const char* end = begin + value->GetStringLength();
    const auto [ptr, ec] = std::from_chars(begin, end, number);
    parsed = ec == std::errc() && ptr == end && begin != end;
  }
  if (!parsed) throw http::unprocessable(std::string(key) + ": must be an integer", key);
  if (number < min || number > max) {
    throw http::unprocessable(
        std::string(key) + ": must be between " + std::to_string(min) + " and " + std::to_string(max), key);
  }
  return number;
}

}  // namespace p2j::endpoints
