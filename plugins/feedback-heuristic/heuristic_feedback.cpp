#include "heuristic_feedback.hpp"

#include <algorithm>

namespace p2j::feedback_heuristic {

sdk::FeedbackReport heuristicFeedback(const sdk::DesignSpec& spec, const sdk::Evaluation& evaluation) {
  sdk::FeedbackReport report{
      .feedback_type = "heuristic", .suggestions = {}, .confidence = 0.9, .source = "rule_based"};
  auto& suggestions = report.suggestions;
  const bool building = spec.design_type == "building";
  const auto has_feature = [&](std::string_view feature) {
    return std::find(spec.features.begin(), spec.features.end(), feature) != spec.features.end();
  };

  if (spec.materials.empty()) suggestions.emplace_back("Add material specifications for structural integrity");
  if (spec.features.size() < 2) {
    suggestions.push_back("Include more functional features based on " +
                          (building ? std::string("building") : spec.design_type) + " type");
  }
  if (building && spec.dimensions.area && *spec.dimensions.area > 0 && *spec.dimensions.area < 100) {
    suggestions.emplace_back("Consider increasing building area for practical use");
  }
  if (building && spec.category == "commercial" && spec.stories.value_or(1) > 1 && !has_feature("elevator")) {
    suggestions.emplace_back("Add elevator for multi-story office building");
  }
  if (building && spec.category == "residential" && !has_feature("parking")) {
    suggestions.emplace_back("Include parking facilities for residential building");
  }
  if (evaluation.score < 70) {
    suggestions.emplace_back("Overall specification needs significant improvement");
  } else if (evaluation.score < 85) {
    suggestions.emplace_back("Good specification with room for enhancement");
  }
  if (suggestions.empty()) suggestions.emplace_back("Specification looks good");
  return report;
}

}  // namespace p2j::feedback_heuristic
