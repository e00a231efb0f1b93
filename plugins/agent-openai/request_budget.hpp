// What one generate() may spend across its rounds (the first answer and the repair): a deadline and a
// number of tokens, prompt and completion together, as the server counts them in `usage`.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace p2j::agent_openai {

// Tokens a text will take at most, for deciding before a call whether it fits the budget. Three bytes per
// token over-counts English and JSON (about four) and matches CJK text; the server's own count replaces
// the estimate once it answered.
int64_t estimateTokens(std::string_view text);

class RequestBudget {
 public:
  using Clock = std::chrono::steady_clock;

  RequestBudget(Clock::time_point deadline, int64_t tokens) : deadline_(deadline), tokens_left_(tokens) {}

  Clock::time_point deadline() const { return deadline_; }
  Clock::duration timeLeft(Clock::time_point now) const {
    return deadline_ > now ? deadline_ - now : Clock::duration::zero();
  }

  int64_t tokensLeft() const { return tokens_left_; }
  void spend(int64_t tokens) { tokens_left_ -= tokens > 0 ? tokens : 0; }

  // The max_tokens to ask for in a round whose prompt takes about `prompt_tokens`: at most `max_tokens`,
  // at most what the budget leaves after the prompt, and 0 (do not call) when that is under `minimum`.
  int64_t completionAllowance(int64_t prompt_tokens, int64_t max_tokens, int64_t minimum) const;

 private:
  Clock::time_point deadline_;
  int64_t tokens_left_;
};

}  // namespace p2j::agent_openai
