// The agent: a prompt becomes a design spec through an OpenAI-compatible chat completions server.
//
// One generate() is at most two rounds under one deadline and one token budget: the answer, and — when it
// is not a valid spec — one repair round that shows the model its answer and the first problem found.
// Failures of the server (unreachable, timeout, HTTP error, a body that is no chat completion, an answer
// still invalid after the repair, the circuit open, the concurrency limit reached) are sdk::Unavailable, so
// the host answers 503 or hands the prompt to the endpoint's fallback agent. A refusal by the model is
// sdk::Refused (422): the server worked, and its verdict on the prompt stands.
#pragma once

#include "chat_completion.hpp"
#include "circuit_breaker.hpp"
#include "concurrency_limit.hpp"
#include "http_transport.hpp"
#include "request_budget.hpp"
#include "settings.hpp"
#include "spec_validator.hpp"

#include <p2j/sdk/plugin.hpp>

namespace p2j::agent_openai {

class OpenAiAgent {
 public:
  // A round needs room for a whole spec; with less left it is not started.
  static constexpr int64_t kMinimumCompletionTokens = 256;

  OpenAiAgent(Settings settings, std::string_view design_schema_json);

  sdk::DesignSpec generate(std::string_view prompt);
  // Always ok: an open circuit is "degraded" (the endpoint's fallback still serves), with the breaker's
  // state, the failure count and the calls in flight in the detail.
  sdk::Health health() const;

 private:
  struct Round {
    std::optional<sdk::DesignSpec> spec;
    std::string error;           // why the answer is not a spec
    std::string answer_content;  // what the model said, for the repair round (empty when cut off)
  };

  // The first round and, when its answer is no valid spec, the repair round.
  sdk::DesignSpec converse(std::vector<ChatMessage>& messages, int64_t prompt_tokens, RequestBudget& budget);
  Round ask(const std::vector<ChatMessage>& messages, RequestBudget& budget, int64_t prompt_tokens);
  int64_t promptTokens(const std::vector<ChatMessage>& messages) const;

  const Settings settings_;
  const SpecValidator validator_;
  const HttpTransport transport_;
  const std::string system_message_;
  ConcurrencyLimit limit_;
  CircuitBreaker breaker_;
};

}  // namespace p2j::agent_openai
