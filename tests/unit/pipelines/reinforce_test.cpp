#include "pipelines/reinforce.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace p2j::pipelines {
namespace {

TEST(ReinforceTest, SoftmaxIsANormalisedExponential) {
  const auto uniform = softmax({0, 0, 0, 0});
  for (const double p : uniform) EXPECT_DOUBLE_EQ(p, 0.25);
  const auto skewed = softmax({std::log(3.0), 0});
  EXPECT_NEAR(skewed[0], 0.75, 1e-12);
  EXPECT_NEAR(skewed[1], 0.25, 1e-12);
  const auto large = softmax({1000, 1000});  // shifted, so no overflow
  EXPECT_DOUBLE_EQ(large[0], 0.5);
  EXPECT_TRUE(softmax({}).empty());
}

TEST(ReinforceTest, SamplesByCumulativeProbability) {
  const std::vector<double> probabilities{0.5, 0.25, 0.25};
  EXPECT_EQ(sampleIndex(probabilities, 0.0), 0u);
  EXPECT_EQ(sampleIndex(probabilities, 0.49), 0u);
  EXPECT_EQ(sampleIndex(probabilities, 0.5), 1u);
  EXPECT_EQ(sampleIndex(probabilities, 0.8), 2u);
  EXPECT_EQ(sampleIndex({0.3, 0.3, 0.3999999999}, 0.99999999999), 2u);
}

TEST(ReinforceTest, TheUpdateIsTheBaselinedLogPolicyGradient) {
  // Two actions at θ = 0: π = (0.5, 0.5). Action 0 earned 8 with baseline 2: advantage 6, so
  // θ0 += 0.1 · 6 · (1 − 0.5) = 0.3 and θ1 += 0.1 · 6 · (0 − 0.5) = −0.3.
  const auto updated = reinforceUpdate({0, 0}, {{0, 8}}, 2, 0.1);
  EXPECT_NEAR(updated[0], 0.3, 1e-12);
  EXPECT_NEAR(updated[1], -0.3, 1e-12);
}

TEST(ReinforceTest, ARewardBelowTheBaselineLowersTheChosenAction) {
  const auto updated = reinforceUpdate({0, 0, 0}, {{2, 0}}, 4, 0.5);
  EXPECT_LT(updated[2], 0);
  EXPECT_GT(updated[0], 0);
  EXPECT_NEAR(std::accumulate(updated.begin(), updated.end(), 0.0), 0, 1e-12);  // softmax gradients sum to 0
}

TEST(ReinforceTest, StepsOfAnEpisodeUseThePolicyTheyWereDrawnFrom) {
  const std::vector<double> weights{0.2, -0.1};
  const auto pi = softmax(weights);
  const auto updated = reinforceUpdate(weights, {{0, 5}, {1, 1}}, 1, 0.2);
  EXPECT_NEAR(updated[0], 0.2 + 0.2 * (4 * (1 - pi[0]) + 0 * (0 - pi[0])), 1e-12);
  EXPECT_NEAR(updated[1], -0.1 + 0.2 * (4 * (0 - pi[1]) + 0 * (1 - pi[1])), 1e-12);
}

TEST(ReinforceTest, TheBaselineIsAMovingAverageOfRewards) {
  EXPECT_DOUBLE_EQ(updateBaseline(0, {{0, 10}}, 0.1), 1.0);
  EXPECT_DOUBLE_EQ(updateBaseline(1, {{0, 10}, {1, 0}}, 0.5), 2.75);  // 1 → 5.5 → 2.75
  EXPECT_DOUBLE_EQ(updateBaseline(3, {}, 0.5), 3);
}

TEST(ReinforceTest, EpisodeGeneratorsAreReproducibleAndDistinct) {
  auto a = episodeGenerator(7, "building", 3);
  auto b = episodeGenerator(7, "building", 3);
  EXPECT_EQ(a(), b());
  EXPECT_NE(episodeGenerator(7, "building", 4)(), episodeGenerator(7, "building", 3)());
  EXPECT_NE(episodeGenerator(7, "vehicle", 3)(), episodeGenerator(7, "building", 3)());
  EXPECT_NE(episodeGenerator(8, "building", 3)(), episodeGenerator(7, "building", 3)());
  for (int i = 0; i < 1000; ++i) {
    const double u = uniformUnit(a);
    ASSERT_GE(u, 0);
    ASSERT_LT(u, 1);
  }
}

// A bandit with the shape of a spec to improve: two actions gain 8 points (features, dimensions), two gain
// nothing. Learning from episodes must shift probability onto the useful ones and raise the mean reward.
TEST(ReinforceTest, LearnsToPreferTheActionsThatGain) {
  const std::vector<double> gains{8, 8, 0, 0};
  std::vector<double> weights(4, 0);
  double baseline = 0;
  double early = 0;
  double late = 0;
  for (int episode = 0; episode < 40; ++episode) {
    auto generator = episodeGenerator(1, "building", episode);
    const auto pi = softmax(weights);
    std::vector<PolicyStep> steps;
    double total = 0;
    for (int step = 0; step < 2; ++step) {
      const size_t action = sampleIndex(pi, uniformUnit(generator));
      steps.push_back({action, gains[action]});
      total += gains[action];
    }
    (episode < 10 ? early : late) += episode < 10 || episode >= 30 ? total : 0;
    weights = reinforceUpdate(weights, steps, baseline, 0.05);
    baseline = updateBaseline(baseline, steps, 0.1);
  }
  const auto pi = softmax(weights);
  EXPECT_GT(pi[0] + pi[1], 0.9);
  EXPECT_GT(late / 10, early / 10);
}

}  // namespace
}  // namespace p2j::pipelines
