#include "pipelines/coordinate.hpp"

#include <chrono>
#include <cstdio>

namespace p2j::pipelines {
namespace {

std::string points(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

}  // namespace

Coordination coordinateImprovement(const LoopPlugins& plugins, std::string_view prompt, double target_score,
                                   int max_rounds) {
  const auto started = std::chrono::steady_clock::now();
  Coordination result;
  result.session = runImprovementLoop(plugins, "coordinate", prompt,
                                      {.budget = max_rounds + 1, .target_score = target_score, .patience = 2});
  const auto& rounds = result.session.rounds;
  const double initial = rounds.front().score_after;
  const double final_score = result.session.result().score_after;
  result.target_reached = final_score >= target_score;

  auto& improvements = result.improvements;
  if (rounds.size() == 1 && result.target_reached) {
    improvements.push_back("Initial score " + points(initial) + " meets target " + points(target_score));
  } else {
    improvements.push_back("Initial score: " + points(initial));
    for (size_t i = 1; i < rounds.size(); ++i) {
      std::string changes;
      for (const auto& change : rounds[i].changes) changes += (changes.empty() ? "" : "; ") + change;
      improvements.push_back("Round " + std::to_string(rounds[i].iteration_number) + ": " +
                             (rounds[i].improvement >= 0 ? "+" : "") + points(rounds[i].improvement) + " points (" +
                             points(rounds[i].score_before) + " -> " + points(rounds[i].score_after) + "): " + changes);
    }
    if (result.target_reached) {
      improvements.push_back("Target score " + points(target_score) + " reached after " +
                             std::to_string(rounds.size() - 1) + " improvement round(s)");
    } else {
      improvements.push_back("Stopped at " + points(final_score) + ", below the target " + points(target_score) + " (" +
                             std::string(stopReasonName(result.session.stop_reason)) + ")");
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace p2j::pipelines
