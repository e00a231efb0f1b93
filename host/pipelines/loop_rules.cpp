#include "pipelines/loop_rules.hpp"

#include <algorithm>
#include <cmath>

namespace p2j::pipelines {

double iterationReward(double score, double previous_score) {
  // Rounded to 4 decimals so 0.84 + 0.84 reads 1.68, as the original's clients saw it.
  return std::round(std::max(0.1, score / 100 + (score - previous_score) / 100) * 1e4) / 1e4;
}

double roundImprovement(int iteration_number, double score, double previous_score) {
  return iteration_number <= 1 ? 0 : score - previous_score;
}

std::string_view stopReasonName(StopReason reason) {
  switch (reason) {
    case StopReason::kBudget:
      return "budget";
    case StopReason::kTargetReached:
      return "target_reached";
    case StopReason::kNoGain:
      return "no_gain";
    case StopReason::kNothingToChange:
      return "nothing_to_change";
  }
  return "budget";
}

std::optional<StopReason> shouldStop(const StopRule& rule, const std::vector<double>& scores, bool changed) {
  if (scores.empty()) return std::nullopt;
  if (scores.back() >= rule.target_score) return StopReason::kTargetReached;
  if (static_cast<int>(scores.size()) >= rule.budget) return StopReason::kBudget;
  if (scores.size() > 1 && !changed) return StopReason::kNothingToChange;
  int without_gain = 0;
  for (size_t i = scores.size() - 1; i > 0 && scores[i] <= scores[i - 1]; --i) ++without_gain;
  if (without_gain >= rule.patience) return StopReason::kNoGain;
  return std::nullopt;
}

}  // namespace p2j::pipelines
