// /coordinated-improvement: generate and evaluate, and when the score is below the target, keep improving
// (the /iterate loop) until it reaches the target or the round budget runs out. Success means the target
// was reached; `improvements` says, round by round, what changed and what it gained.
#pragma once

#include "pipelines/iterate.hpp"

#include <string>
#include <vector>

namespace p2j::pipelines {

struct Coordination {
  Session session;
  bool target_reached = false;
  std::vector<std::string> improvements;
  double seconds = 0;
};

// `max_rounds` counts the improvement rounds after the generated spec.
Coordination coordinateImprovement(const LoopPlugins& plugins, std::string_view prompt, double target_score,
                                   int max_rounds);

}  // namespace p2j::pipelines
