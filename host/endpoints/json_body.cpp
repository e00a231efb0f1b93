#include "endpoints/json_body.hpp"

#include "http/http_error.hpp"

#include <p2j/sdk/json.hpp>

namespace p2j::endpoints {

const rapidjson::Value& requireObjectBody(const rapidjson::Value& body) {
  if (!body.IsObject()) throw http::unprocessable("the request body must be a JSON object");
  return body;
}

std::string requirePrompt(const rapidjson::Value& body) {
  requireObjectBody(body);
  const auto* prompt = sdk::findMember(body, "prompt");
  if (prompt == nullptr) throw http::unprocessable("prompt: is required", "prompt");
  if (!prompt->IsString()) throw http::unprocessable("prompt: must be a string", "prompt");
  if (prompt->GetStringLength() > kMaxPromptBytes) {
    throw http::unprocessable("prompt: must be at most " + std::to_string(kMaxPromptBytes) + " bytes", "prompt");
  }
  return {prompt->GetString(), prompt->GetStringLength()};
}

}  // namespace p2j::endpoints
