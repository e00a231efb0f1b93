#include "request_budget.hpp"

#include <algorithm>

namespace p2j::agent_openai {

int64_t estimateTokens(std::string_view text) { return static_cast<int64_t>((text.size() + 2) / 3); }

int64_t RequestBudget::completionAllowance(int64_t prompt_tokens, int64_t max_tokens, int64_t minimum) const {
  const int64_t allowance = std::min(max_tokens, tokens_left_ - prompt_tokens);
  return allowance >= minimum ? allowance : 0;
}

}  // namespace p2j::agent_openai
