// improve(): a better spec from an evaluator's verdict. Each kind of finding has one action that answers
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

// What an improvement without a named action answers.
struct FeedbackNeeds {
  bool features = false;
  bool dimensions = false;  // missing or invalid dimensions, or a building without a story count
  bool materials = false;
  bool generic_category = false;

  bool operator==(const FeedbackNeeds&) const = default;
};

// What an evaluator's findings ask for, read from their field and action (never from their messages, which
// are for people): `add` or `correct` on features, dimensions or stories, materials; `specify` on category.
FeedbackNeeds readFindings(const std::vector<sdk::Finding>& findings);

// The same needs seen in the spec itself, for an evaluator that gives no findings (one built against ABI
// 1.0 or 1.1): no feature, no usable size (or a negative one, or a building without stories), no material but
// the placeholder, a generic category. The agent then improves every gap it can fill, whatever the evaluator
// scores; its feedback text is never read.
FeedbackNeeds readGaps(const sdk::DesignSpec& spec);

// The actions improve() accepts, in a fixed order.
std::vector<sdk::ImprovementAction> improvementActions();

// With `request.action`, applies that action alone; without, every action the feedback asks for. A spec
// with nothing left to add comes back unchanged, with `changes` saying why. The timestamp is left as it
// was. Throws sdk::InvalidInput for an action not in improvementActions().
sdk::Improvement improveSpec(const sdk::ImproveRequest& request);

}  // namespace p2j::agent_rules
