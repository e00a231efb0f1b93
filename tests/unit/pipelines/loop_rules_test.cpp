#include "pipelines/loop_rules.hpp"

#include <gtest/gtest.h>

namespace p2j::pipelines {
namespace {

TEST(LoopRulesTest, RewardIsTheOriginals) {
  EXPECT_DOUBLE_EQ(iterationReward(84, 0), 1.68);  // round 1: score/100 twice
  EXPECT_DOUBLE_EQ(iterationReward(92, 84), 1.0);
  EXPECT_DOUBLE_EQ(iterationReward(92, 92), 0.92);
  EXPECT_DOUBLE_EQ(iterationReward(10, 60), 0.1);  // a drop is floored at 0.1
}

TEST(LoopRulesTest, ImprovementIsZeroForTheGeneratedSpec) {
  EXPECT_DOUBLE_EQ(roundImprovement(1, 84, 0), 0);
  EXPECT_DOUBLE_EQ(roundImprovement(2, 92, 84), 8);
  EXPECT_DOUBLE_EQ(roundImprovement(3, 90, 92), -2);
}

TEST(LoopRulesTest, RunsUntilTheBudget) {
  const StopRule rule{.budget = 3, .target_score = 100};
  EXPECT_EQ(shouldStop(rule, {84}, true), std::nullopt);
  EXPECT_EQ(shouldStop(rule, {84, 92}, true), std::nullopt);
  EXPECT_EQ(shouldStop(rule, {84, 92, 96}, true), StopReason::kBudget);
  EXPECT_EQ(shouldStop({.budget = 1}, {84}, true), StopReason::kBudget);
}

TEST(LoopRulesTest, StopsAtTheTargetScore) {
  const StopRule rule{.budget = 10, .target_score = 90};
  EXPECT_EQ(shouldStop(rule, {92}, true), StopReason::kTargetReached);
  EXPECT_EQ(shouldStop(rule, {84, 90}, true), StopReason::kTargetReached);
  // The target wins over an exhausted budget: the caller learns the run succeeded.
  EXPECT_EQ(shouldStop({.budget = 2, .target_score = 90}, {84, 92}, true), StopReason::kTargetReached);
}

TEST(LoopRulesTest, StopsAfterTwoRoundsWithoutGain) {
  const StopRule rule{.budget = 10, .target_score = 100, .patience = 2};
  EXPECT_EQ(shouldStop(rule, {84, 84}, true), std::nullopt);
  EXPECT_EQ(shouldStop(rule, {84, 84, 84}, true), StopReason::kNoGain);
  EXPECT_EQ(shouldStop(rule, {84, 92, 90, 88}, true), StopReason::kNoGain);
  EXPECT_EQ(shouldStop(rule, {84, 84, 92, 92}, true), std::nullopt);  // a gain resets the count
}

TEST(LoopRulesTest, StopsWhenTheAgentChangedNothing) {
  const StopRule rule{.budget = 10, .target_score = 100};
  EXPECT_EQ(shouldStop(rule, {84, 84}, false), StopReason::kNothingToChange);
  EXPECT_EQ(shouldStop(rule, {84}, false), std::nullopt);  // round 1 is the generation, not an improvement
}

TEST(LoopRulesTest, NamesEveryReason) {
  EXPECT_EQ(stopReasonName(StopReason::kBudget), "budget");
  EXPECT_EQ(stopReasonName(StopReason::kTargetReached), "target_reached");
  EXPECT_EQ(stopReasonName(StopReason::kNoGain), "no_gain");
  EXPECT_EQ(stopReasonName(StopReason::kNothingToChange), "nothing_to_change");
}

}  // namespace
}  // namespace p2j::pipelines
