#include "request_budget.hpp"

#include <gtest/gtest.h>

namespace p2j::agent_openai {
namespace {

using namespace std::chrono_literals;

TEST(RequestBudget, EstimatesThreeBytesPerTokenRoundedUp) {
  EXPECT_EQ(estimateTokens(""), 0);
  EXPECT_EQ(estimateTokens("abc"), 1);
  EXPECT_EQ(estimateTokens("abcd"), 2);
  EXPECT_EQ(estimateTokens(std::string(3000, 'x')), 1000);
}

TEST(RequestBudget, TheAllowanceIsBoundedByMaxTokensAndWhatIsLeft) {
  RequestBudget budget(RequestBudget::Clock::now() + 1s, 5000);
  EXPECT_EQ(budget.completionAllowance(1000, 2048, 256), 2048);
  EXPECT_EQ(budget.completionAllowance(4000, 2048, 256), 1000);
  EXPECT_EQ(budget.completionAllowance(4800, 2048, 256), 0) << "200 tokens left is under the minimum";
  budget.spend(3000);
  EXPECT_EQ(budget.tokensLeft(), 2000);
  EXPECT_EQ(budget.completionAllowance(1000, 2048, 256), 1000);
  budget.spend(-50);
  EXPECT_EQ(budget.tokensLeft(), 2000) << "a server's negative count spends nothing";
  budget.spend(5000);
  EXPECT_EQ(budget.completionAllowance(0, 2048, 256), 0);
}

TEST(RequestBudget, TimeLeftEndsAtTheDeadline) {
  const auto now = RequestBudget::Clock::now();
  const RequestBudget budget(now + 2s, 1000);
  EXPECT_EQ(budget.timeLeft(now), 2s);
  EXPECT_EQ(budget.timeLeft(now + 2s), RequestBudget::Clock::duration::zero());
  EXPECT_EQ(budget.timeLeft(now + 5s), RequestBudget::Clock::duration::zero());
}

}  // namespace
}  // namespace p2j::agent_openai
