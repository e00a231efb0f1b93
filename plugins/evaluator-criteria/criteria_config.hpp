// The evaluator-criteria plugin's instance config: its JSON Schema (the defaults are the original
// service's numbers) and the typed, checked object the criteria are built from.
#pragma once

#include <rapidjson/document.h>

namespace p2j::evaluator_criteria {

// Draft 7, strict: unknown keys are refused. Every leaf carries its default, and criteriaConfigFromJson
// reads the defaults from here, so the schema is the one place they are written down.
extern const char* const kConfigSchema;

// Each criterion's weight in the score.
struct Weights {
  double completeness = 0;
  double format_validity = 0;
  double feasibility = 0;
};

// A criterion scoring below its threshold adds that criterion's suggestion.
struct SuggestionThresholds {
  double completeness = 0;
  double format_validity = 0;
  double feasibility = 0;
};

// The lowest score of each grade; anything below `d` is F.
struct GradeBoundaries {
  double a = 0;
  double b = 0;
  double c = 0;
  double d = 0;
};

// Above these a design is flagged as possibly infeasible (metres, kilograms).
struct FeasibilityLimits {
  double building_max_stories = 0;
  double building_max_height = 0;
  double building_wood_max_stories = 0;
  double vehicle_max_length = 0;
  double vehicle_max_height = 0;
  double electronics_max_weight = 0;
  double appliance_max_width = 0;
  double furniture_steel_max_weight = 0;
};

struct CriteriaConfig {
  Weights weights;
  SuggestionThresholds suggest_below;
  GradeBoundaries grades;
  FeasibilityLimits limits;
};

// Fills what `config` leaves out with the schema's defaults and checks what a JSON Schema cannot
// express: the weights sum to 1 and the grade boundaries descend from A to D. Throws
// sdk::InvalidInput (or sdk::FieldError for a value of the wrong type) with a message for operators.
CriteriaConfig criteriaConfigFromJson(const rapidjson::Value& config);

}  // namespace p2j::evaluator_criteria
