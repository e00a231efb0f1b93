// improve(): a better spec from an evaluator's verdict. Each kind of feedback has one action that answers
// it with what is typical for the spec's category (features, SI dimensions, materials, requirements); a
// learner may also name one action to apply alone. Deterministic and stateless, so safe from any thread.
#pragma once

#include <p2j/sdk/improvement.hpp>

#include <string_view>
#include <vector>

namespace p2j::agent_rules {

inline constexpr std::string_view kAddFeatures = "add_features";
inline constexpr std::string_view kAddDimensions = "add_dimensions";
inline constexpr std::string_view kAddMaterials = "add_materials";
inline constexpr std::string_view kRefineRequirements = "refine_requirements";

// Estimated dimensions stay SI values in `dimensions` (so the spec keeps its schema); which ones were
// estimated is recorded here, comma-separated, under performance.other_specs.
inline constexpr std::string_view kEstimatedDimensionsKey = "estimated_dimensions";

// What the evaluator's feedback and suggestions ask for, read from their wording.
struct FeedbackNeeds {
  bool features = false;
  bool dimensions = false;  // missing or invalid dimensions, or a building without a story count
  bool materials = false;
  bool generic_category = false;

  bool operator==(const FeedbackNeeds&) const = default;
};

FeedbackNeeds readFeedback(const sdk::Evaluation& evaluation);

// The actions improve() accepts, in a fixed order.
std::vector<sdk::ImprovementAction> improvementActions();

// With `request.action`, applies that action alone; without, every action the feedback asks for. A spec
// with nothing left to add comes back unchanged, with `changes` saying why. The timestamp is left as it
// was. Throws sdk::InvalidInput for an action not in improvementActions().
sdk::Improvement improveSpec(const sdk::ImproveRequest& request);

}  // namespace p2j::agent_rules
