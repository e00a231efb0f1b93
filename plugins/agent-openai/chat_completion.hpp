// The OpenAI chat completions wire format, as far as this agent uses it: the request it sends and what
// it reads from the answer.
#pragma once

#include "settings.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::agent_openai {

struct ChatMessage {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

struct ChatRequest {
  std::string model;
  std::vector<ChatMessage> messages;
  double temperature = 0;
  int64_t max_tokens = 0;
  std::string max_tokens_field = "max_tokens";
  ResponseFormat response_format = ResponseFormat::kJsonSchema;
  std::string_view strict_schema_json;  // for kJsonSchema: the schema in response_format
};

// The request body: {"model", "messages", "temperature", <max_tokens_field>, "response_format", "stream": false}.
std::string chatRequestJson(const ChatRequest& request);

struct ChatUsage {
  bool reported = false;  // servers may leave "usage" out
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t total_tokens = 0;
};

struct ChatAnswer {
  std::optional<std::string> content;
  std::optional<std::string> refusal;  // OpenAI: the model declined, in its own words
  std::string finish_reason;           // "stop", "length" (cut off at max_tokens), "content_filter", ...
  ChatUsage usage;
};

// Throws std::runtime_error when `body` is not a chat completion (not JSON, no choices, no message).
ChatAnswer parseChatAnswer(std::string_view body);

// What an error answer says about itself, for the log: OpenAI's error "code" and "type", never its
// "message" (OpenAI quotes part of a wrong key there). Empty when the body has neither.
std::string errorSummary(std::string_view body);

}  // namespace p2j::agent_openai
