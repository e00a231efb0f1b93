#include "openai_agent.hpp"

#include <p2j/sdk/time.hpp>

namespace p2j::agent_openai {
namespace {

using Clock = std::chrono::steady_clock;

// Every admitted call tells the breaker how it went; a call that ends by an exception the agent did not
// classify counts as a failure.
class BreakerVerdict {
 public:
  explicit BreakerVerdict(CircuitBreaker& breaker) : breaker_(breaker) {}
  ~BreakerVerdict() {
    if (!worked_) breaker_.recordFailure(Clock::now());
  }
  BreakerVerdict(const BreakerVerdict&) = delete;
  BreakerVerdict& operator=(const BreakerVerdict&) = delete;
  void serverWorked() {
    worked_ = true;
    breaker_.recordSuccess();
  }

 private:
  CircuitBreaker& breaker_;
  bool worked_ = false;
};

// A refusal is shown to the client (422): bounded, and marked as the model's words.
std::string refusalMessage(const std::string& refusal) {
  std::string text = refusal.substr(0, 200);
  while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
  return "the model declined the prompt: " + text;
}

std::string milliseconds(std::chrono::milliseconds value) { return std::to_string(value.count()) + " ms"; }

}  // namespace

OpenAiAgent::OpenAiAgent(Settings settings, std::string_view design_schema_json)
    : settings_(std::move(settings)),
      validator_(design_schema_json),
      transport_(settings_),
      system_message_(settings_.response_format == ResponseFormat::kJsonObject
                          ? settings_.system_prompt +
                                "\n\nAnswer with one JSON object, and nothing else, that follows this JSON Schema:\n" +
                                validator_.strictSchemaJson()
                          : settings_.system_prompt),
      limit_(settings_.max_in_flight),
      breaker_(settings_.failure_threshold, settings_.open_for) {}

int64_t OpenAiAgent::promptTokens(const std::vector<ChatMessage>& messages) const {
  // The message framing costs a few tokens each; in json_schema mode the server also feeds the schema in.
  int64_t tokens = 0;
  for (const auto& message : messages) tokens += estimateTokens(message.content) + 4;
  if (settings_.response_format == ResponseFormat::kJsonSchema) tokens += estimateTokens(validator_.strictSchemaJson());
  return tokens;
}

sdk::DesignSpec OpenAiAgent::generate(std::string_view prompt) {
  const ConcurrencyLimit::Permit permit = limit_.tryAcquire();
  if (!permit.acquired()) {
    throw sdk::Unavailable("agent-openai: " + std::to_string(limit_.limit()) +
                           " calls already in flight (max_in_flight)");
  }
  std::vector<ChatMessage> messages = {{"system", system_message_}, {"user", std::string(prompt)}};
  const int64_t prompt_tokens = promptTokens(messages);
  if (RequestBudget(Clock::now(), settings_.token_budget)
          .completionAllowance(prompt_tokens, settings_.max_tokens, kMinimumCompletionTokens) == 0) {
    throw sdk::InvalidInput("the prompt is too long for this agent: about " + std::to_string(prompt_tokens) +
                            " tokens with the instructions, and token_budget is " +
                            std::to_string(settings_.token_budget));
  }

  const auto start = Clock::now();
  if (breaker_.admit(start) == CircuitBreaker::Admission::kRejected) {
    throw sdk::Unavailable("agent-openai: circuit open after " + std::to_string(breaker_.consecutiveFailures()) +
                           " consecutive failures; the server is not called until the cool-down ends");
  }
  BreakerVerdict verdict(breaker_);
  RequestBudget budget(start + settings_.timeout, settings_.token_budget);
  try {
    sdk::DesignSpec spec = converse(messages, prompt_tokens, budget);
    verdict.serverWorked();
    return spec;
  } catch (const sdk::Refused&) {
    verdict.serverWorked();
    throw;
  }
}

sdk::DesignSpec OpenAiAgent::converse(std::vector<ChatMessage>& messages, int64_t prompt_tokens,
                                      RequestBudget& budget) {
  Round first = ask(messages, budget, prompt_tokens);
  if (first.spec) return std::move(*first.spec);

  // One repair round, which sees only the last answer and its first problem, so a retry never costs more
  // than one more answer.
  if (!first.answer_content.empty()) messages.push_back({"assistant", first.answer_content});
  messages.push_back({"user", "That answer is not a valid design specification: " + first.error +
                                  ". Answer again with the complete corrected JSON object only."});
  const int64_t repair_prompt_tokens = promptTokens(messages);
  if (budget.completionAllowance(repair_prompt_tokens, settings_.max_tokens, kMinimumCompletionTokens) == 0) {
    throw sdk::Unavailable("agent-openai: invalid answer (" + first.error +
                           ") and token_budget leaves no room for a repair round");
  }
  Round repaired = ask(messages, budget, repair_prompt_tokens);
  if (repaired.spec) return std::move(*repaired.spec);
  throw sdk::Unavailable("agent-openai: invalid answer after one repair round: " + repaired.error);
}

OpenAiAgent::Round OpenAiAgent::ask(const std::vector<ChatMessage>& messages, RequestBudget& budget,
                                    int64_t prompt_tokens) {
  ChatRequest request;
  request.model = settings_.model;
  request.messages = messages;
  request.temperature = settings_.temperature;
  request.max_tokens = budget.completionAllowance(prompt_tokens, settings_.max_tokens, kMinimumCompletionTokens);
  request.max_tokens_field = settings_.max_tokens_field;
  request.response_format = settings_.response_format;
  request.strict_schema_json = validator_.strictSchemaJson();

  HttpReply reply;
  try {
    reply = transport_.post(chatRequestJson(request), budget.deadline());
  } catch (const TransportError& e) {
    if (e.kind() == TransportError::Kind::kTimeout) {
      throw sdk::Unavailable("agent-openai: no answer within timeout_ms (" + milliseconds(settings_.timeout) + ")");
    }
    throw sdk::Unavailable(std::string("agent-openai: the server cannot be reached: ") + e.what());
  }
  if (reply.status != 200) {
    const std::string summary = errorSummary(reply.body);
    throw sdk::Unavailable("agent-openai: the server answered HTTP " + std::to_string(reply.status) +
                           (summary.empty() ? "" : " (" + summary + ")"));
  }
  ChatAnswer answer;
  try {
    answer = parseChatAnswer(reply.body);
  } catch (const std::exception& e) {
    throw sdk::Unavailable(std::string("agent-openai: the server's answer is not a chat completion: ") + e.what());
  }
  budget.spend(answer.usage.reported ? answer.usage.total_tokens
                                     : prompt_tokens + estimateTokens(answer.content.value_or("")));

  if (answer.refusal && !answer.refusal->empty()) throw sdk::Refused(refusalMessage(*answer.refusal));
  if (answer.finish_reason == "content_filter") throw sdk::Refused("the model's content filter stopped the answer");
  Round round;
  if (answer.finish_reason == "length") {
    // A cut-off answer is useless to show again; the model is told to be shorter instead.
    round.error = "the answer was cut off at " + std::to_string(request.max_tokens) +
                  " tokens; give a shorter but complete answer";
    return round;
  }
  if (!answer.content || answer.content->empty()) {
    round.error = "the answer was empty";
    return round;
  }
  SpecCheck check = validator_.check(*answer.content, sdk::utcNow());
  round.spec = std::move(check.spec);
  round.error = std::move(check.error);
  round.answer_content = std::move(*answer.content);
  return round;
}

sdk::Health OpenAiAgent::health() const {
  const CircuitBreaker::State state = breaker_.state(Clock::now());
  rapidjson::StringBuffer detail;
  sdk::JsonWriter writer(detail);
  writer.StartObject();
  writer.Key("circuit");
  sdk::writeString(writer, stateName(state));
  writer.Key("consecutive_failures");
  writer.Int(breaker_.consecutiveFailures());
  writer.Key("in_flight");
  writer.Int(limit_.inFlight());
  writer.Key("max_in_flight");
  writer.Int(limit_.limit());
  writer.EndObject();
  // An open breaker still answers (the endpoint's fallback agent designs instead): degraded, not down.
  return {state == CircuitBreaker::State::kClosed ? sdk::HealthState::kOk : sdk::HealthState::kDegraded,
          std::string(detail.GetString(), detail.GetSize())};
}

}  // namespace p2j::agent_openai
