// The /advanced-rl learner: one REINFORCE episode per request. Generate and evaluate, then for each step
// sample an improvement action from the design type's softmax policy, apply it alone, re-evaluate, and
// take the score gain as the reward; at the end, update the policy with the baseline-subtracted rewards
// and append it to `policies`, so the next episode for that design type starts from what this one learned.
#pragma once

#include "pipelines/iterate.hpp"

#include <p2j/sdk/improvement.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace p2j::pipelines {

struct LearnerSettings {
  int steps = 3;  // improvement steps per episode
  double learning_rate = 0.05;
  double baseline_rate = 0.1;  // β of the baseline's moving average
  uint64_t seed = 1;
};

struct Policy {
  std::string design_type;
  std::vector<std::string> actions;
  std::vector<double> weights;  // θ, one per action
  double baseline = 0;
  int64_t episodes = 0;
};

struct EpisodeStep {
  int step = 0;
  std::string action;
  double probability = 0;  // π(action) when it was drawn
  double reward = 0;       // the score the step gained
  double advantage = 0;    // reward − baseline
  double score_before = 0;
  double score_after = 0;
  std::vector<std::string> changes;
  std::string iteration_id;
  sdk::Evaluation evaluation;
};

struct Episode {
  std::string episode_id;  // also the session_id of its `iterations` rows
  std::string design_type;
  double initial_score = 0;
  double final_score = 0;
  double total_reward = 0;
  std::string final_spec_json;
  std::vector<EpisodeStep> steps;
  Policy policy_before;
  Policy policy_after;
  std::string policy_id;  // the `policies` row written at the end
};

// `actions` are the agent's (never empty). Episodes of one design type run one at a time in this process,
// so concurrent requests each build on the other's update instead of overwriting it.
Episode runEpisode(const LoopPlugins& plugins, const std::vector<sdk::ImprovementAction>& actions,
                   std::string_view prompt, const LearnerSettings& settings);

// The design type's newest stored policy over `actions` (an action the store does not know starts at 0),
// or a uniform one when none is stored.
Policy loadPolicy(const plugins::StoragePlugin& storage, const std::string& design_type,
                  const std::vector<sdk::ImprovementAction>& actions);

}  // namespace p2j::pipelines
