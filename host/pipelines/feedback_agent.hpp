// The feedback agent of the original (§6.2 of the reference): heuristic suggestions on a spec and its
// evaluation, reported with every pipeline round. Its building rules are fixed to the universal spec
// (category "commercial", not the never-produced "office"; areas and elevators only for buildings).
#pragma once

#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/evaluation.hpp>
#include <p2j/sdk/json.hpp>

#include <string>
#include <vector>

namespace p2j::pipelines {

struct FeedbackReport {
  std::string feedback_type = "heuristic";
  std::vector<std::string> suggestions;
  double confidence = 0.9;
  std::string source = "rule_based";

  bool operator==(const FeedbackReport&) const = default;
};

// {"feedback_type", "suggestions", "confidence", "source"}: the original's keys.
void writeJson(sdk::JsonWriter& writer, const FeedbackReport& report);

FeedbackReport heuristicFeedback(const sdk::DesignSpec& spec, const sdk::Evaluation& evaluation);

}  // namespace p2j::pipelines
