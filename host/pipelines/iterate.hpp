// The improvement loop behind /iterate and /coordinated-improvement: generate, evaluate, then improve with
// the evaluator's feedback and re-evaluate until the budget, the target score, or a loop that gains
// nothing. Every round is committed as an `iterations` row before the next one starts. Each round improves
// the best spec so far, so the result never scores below the generated spec.
#pragma once

#include "pipelines/loop_rules.hpp"
#include "plugins/agent_plugin.hpp"
#include "plugins/evaluator_plugin.hpp"
#include "plugins/feedback_plugin.hpp"
#include "plugins/storage_plugin.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::pipelines {

struct PipelinePlugins {
  const plugins::AgentPlugin& agent;
  const plugins::EvaluatorPlugin& evaluator;
  const plugins::StoragePlugin& storage;
};

// The improvement loops also store a feedback plugin's review with every round.
struct LoopPlugins : PipelinePlugins {
  const plugins::FeedbackPlugin& feedback;
};

struct Round {
  int iteration_number = 0;
  std::string iteration_id;
  std::string action;  // "generate" for round 1, then "all_feedback"
  std::optional<std::string> spec_before_json;
  sdk::DesignSpec spec;
  std::string spec_json;
  sdk::Evaluation evaluation;
  sdk::FeedbackReport feedback;
  std::vector<std::string> changes;
  double score_before = 0;
  double score_after = 0;
  double reward = 0;
  double improvement = 0;
};

struct Session {
  std::string session_id;
  std::string design_type;
  std::vector<Round> rounds;  // never empty
  size_t best = 0;            // the round with the highest score (the earliest among equals): the result
  StopReason stop_reason = StopReason::kBudget;

  const Round& result() const { return rounds[best]; }
};

// `pipeline` names the caller in the stored rows ("iterate", "coordinate"). A refused prompt or an
// unavailable plugin ends the run with the plugin's error (rounds already committed stay committed).
Session runImprovementLoop(const LoopPlugins& plugins, std::string_view pipeline, std::string_view prompt,
                           const StopRule& rule);

// Whether an improvement changed anything but the timestamp.
bool specChanged(const sdk::DesignSpec& before, const sdk::DesignSpec& after);

}  // namespace p2j::pipelines
