// The arithmetic of the /iterate loop, apart from any plugin so it can be tested on its own: the reward of
// a round and when the loop stops.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace p2j::pipelines {

// The original's /iterate reward: max(0.1, score/100 + (score − previous)/100), previous 0 for round 1.
double iterationReward(double score, double previous_score);

// The original's "improvement": 0 for the generated spec, else the score gained.
double roundImprovement(int iteration_number, double score, double previous_score);

enum class StopReason {
  kBudget,           // n_iter rounds done
  kTargetReached,    // the score reached the target
  kNoGain,           // `patience` improvement rounds in a row gained nothing
  kNothingToChange,  // the agent returned the spec unchanged: another round would score the same
};

std::string_view stopReasonName(StopReason reason);

struct StopRule {
  int budget = 3;  // rounds in all, the generated spec's included
  double target_score = 100;
  int patience = 2;
};

// Whether to stop after the latest round. `scores` holds every round's score so far (the generated spec's
// first); `changed` says whether the latest round's improvement changed the spec (true for round 1).
std::optional<StopReason> shouldStop(const StopRule& rule, const std::vector<double>& scores, bool changed);

}  // namespace p2j::pipelines
