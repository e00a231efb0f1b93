#include "criteria.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace p2j::evaluator_criteria {
namespace {

// Points per completeness block: five blocks make 100.
constexpr double kBlockPoints = 20;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isLower(char c) { return c >= 'a' && c <= 'z'; }

// Trimmed and ASCII-lower-cased, so "Wood " and "wood" name the same material.
std::string normalized(std::string_view text) {
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  std::string result(text);
  for (char& c : result) {
    if (isUpper(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  return result;
}

bool isBlank(std::string_view text) { return std::all_of(text.begin(), text.end(), isSpace); }

// Python's str.title(), which the original used to name a design type in its feedback ("Vehicle
// dimensions not specified"). Bytes of multi-byte UTF-8 characters count as letters and keep their case.
std::string titleCase(std::string_view text) {
  std::string result(text);
  bool in_word = false;
  for (char& c : result) {
    const bool letter = isUpper(c) || isLower(c) || static_cast<unsigned char>(c) >= 0x80;
    if (letter && !in_word && isLower(c)) c = static_cast<char>(c - 'a' + 'A');
    if (letter && in_word && isUpper(c)) c = static_cast<char>(c - 'A' + 'a');
    in_word = letter;
  }
  return result;
}

// The original tested dimensions for truthiness: absent and 0 both mean "not given".
bool given(const std::optional<double>& value) { return value && *value != 0; }

bool above(const std::optional<double>& value, double limit) { return value && *value > limit; }

// A building that does not say is one story high, as the original's request defaults had it.
int64_t storiesOf(const sdk::DesignSpec& spec) { return spec.stories.value_or(1); }

// Whether a material type names `word` as a whole word: "stainless steel" is steel, "steelwork" is not.
bool namesWord(std::string_view type, std::string_view word) {
  const std::string text = normalized(type);
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const size_t end = at + word.size();
    const bool starts = at == 0 || text[at - 1] == ' ' || text[at - 1] == '-';
    const bool ends = end == text.size() || text[end] == ' ' || text[end] == '-';
    if (starts && ends) return true;
  }
  return false;
}

bool hasMaterial(const sdk::DesignSpec& spec, std::string_view word) {
  return std::any_of(spec.materials.begin(), spec.materials.end(),
                     [&](const sdk::Material& material) { return namesWord(material.type, word); });
}

// One check of a criterion, as its findings name it.
struct Check {
  std::string_view criterion;
  std::string_view field;
  sdk::Severity severity;
  std::string_view action;
};

struct Criterion {
  double score;
  std::vector<sdk::Finding> findings;

  void require(bool passed, const Check& check, std::string message) {
    if (passed) {
      score += kBlockPoints;
    } else {
      found(check, std::move(message));
    }
  }
  void deduct(double points, const Check& check, std::string message) {
    score -= points;
    found(check, std::move(message));
  }

 private:
  void found(const Check& check, std::string message) {
    findings.push_back({std::string(check.criterion), std::string(check.field), check.severity,
                        std::string(check.action), std::move(message)});
  }
};

using sdk::Severity;
namespace action = sdk::finding_action;

// Every check, by the id its findings carry: "<the score it lowers>.<what it checks>". The ids are part of
// this plugin's contract (agents and dashboards may key on them); the messages are not.
constexpr Check kCategory{"completeness.category", "category", Severity::kWarning, action::kSpecify};
constexpr Check kStoriesGiven{"completeness.stories", "stories", Severity::kWarning, action::kAdd};
constexpr Check kTypeDimensions{"completeness.type_dimensions", "dimensions", Severity::kWarning, action::kAdd};
constexpr Check kMaterials{"completeness.materials", "materials", Severity::kWarning, action::kAdd};
constexpr Check kDimensions{"completeness.dimensions", "dimensions", Severity::kWarning, action::kAdd};
constexpr Check kFeatures{"completeness.features", "features", Severity::kWarning, action::kAdd};
constexpr Check kStoriesValid{"format_validity.stories", "stories", Severity::kError, action::kCorrect};
constexpr Check kDimensionsValid{"format_validity.dimensions", "dimensions", Severity::kError, action::kCorrect};
constexpr Check kBuildingStories{"feasibility.building_stories", "stories", Severity::kWarning, action::kReview};
constexpr Check kBuildingHeight{"feasibility.building_height", "dimensions.height", Severity::kWarning,
                                action::kReview};
constexpr Check kWoodHighRise{"feasibility.wood_high_rise", "materials", Severity::kWarning, action::kReview};
constexpr Check kVehicleLength{"feasibility.vehicle_length", "dimensions.length", Severity::kWarning, action::kReview};
constexpr Check kVehicleHeight{"feasibility.vehicle_height", "dimensions.height", Severity::kWarning, action::kReview};
constexpr Check kWoodVehicle{"feasibility.wood_vehicle", "materials", Severity::kWarning, action::kReview};
constexpr Check kDeviceWeight{"feasibility.device_weight", "dimensions.weight", Severity::kWarning, action::kReview};
constexpr Check kApplianceWidth{"feasibility.appliance_width", "dimensions.width", Severity::kWarning, action::kReview};
constexpr Check kSteelFurnitureWeight{"feasibility.steel_furniture_weight", "dimensions.weight", Severity::kWarning,
                                      action::kReview};

Criterion completeness(const sdk::DesignSpec& spec, const std::string& type) {
  Criterion result{0, {}};
  const std::string category = normalized(spec.category);
  result.require(!category.empty() && category != "general", kCategory,
                 titleCase(type) + " type not specified or too generic");

  const sdk::Dimensions& d = spec.dimensions;
  if (type == "building") {
    result.require(storiesOf(spec) > 0, kStoriesGiven, "Number of stories not specified");
  } else {
    result.require(given(d.length) || given(d.width) || given(d.height) || given(d.diameter), kTypeDimensions,
                   titleCase(type) + " dimensions not specified");
  }

  result.require(std::any_of(spec.materials.begin(), spec.materials.end(),
                             [](const sdk::Material& material) { return !isBlank(material.type); }),
                 kMaterials, "No materials specified");
  result.require(given(d.length) || given(d.width) || given(d.area) || given(d.height), kDimensions,
                 "No dimensions specified");
  result.require(std::any_of(spec.features.begin(), spec.features.end(),
                             [](const std::string& feature) { return !isBlank(feature); }),
                 kFeatures, "No special features specified");
  return result;
}

Criterion formatValidity(const sdk::DesignSpec& spec) {
  Criterion result{100, {}};
  // Zero stories is "not specified" (a completeness matter), as in the original; only a negative count is
  // malformed.
  if (spec.stories && *spec.stories < 0) result.deduct(25, kStoriesValid, "Invalid number of stories");
  const sdk::Dimensions& d = spec.dimensions;
  const std::optional<double> all[] = {d.length, d.width, d.height, d.depth, d.diameter, d.area, d.volume, d.weight};
  if (std::any_of(std::begin(all), std::end(all), [](const auto& value) { return value && *value < 0; })) {
    result.deduct(25, kDimensionsValid, "Invalid dimensions");
  }
  result.score = std::max(0.0, result.score);
  return result;
}

Criterion feasibility(const sdk::DesignSpec& spec, const std::string& type, const FeasibilityLimits& limits) {
  Criterion result{100, {}};
  const sdk::Dimensions& d = spec.dimensions;
  if (type == "building") {
    const auto stories = static_cast<double>(storiesOf(spec));
    if (stories > limits.building_max_stories)
      result.deduct(30, kBuildingStories, "Excessive number of stories may not be feasible");
    if (above(d.height, limits.building_max_height))
      result.deduct(20, kBuildingHeight, "Building height may be excessive");
    if (hasMaterial(spec, "wood") && stories > limits.building_wood_max_stories) {
      result.deduct(25, kWoodHighRise, "Wood construction may not be suitable for high-rise buildings");
    }
  } else if (type == "vehicle") {
    if (above(d.length, limits.vehicle_max_length))
      result.deduct(20, kVehicleLength, "Vehicle length may be excessive for standard roads");
    if (above(d.height, limits.vehicle_max_height))
      result.deduct(15, kVehicleHeight, "Vehicle height may exceed bridge clearances");
    if (hasMaterial(spec, "wood")) result.deduct(20, kWoodVehicle, "Wood may not be suitable for vehicle construction");
  } else if (type == "electronics") {
    if (above(d.weight, limits.electronics_max_weight))
      result.deduct(15, kDeviceWeight, "Device may be too heavy for portable use");
  } else if (type == "appliance") {
    if (above(d.width, limits.appliance_max_width))
      result.deduct(10, kApplianceWidth, "Appliance may be too wide for standard spaces");
  } else if (type == "furniture") {
    if (hasMaterial(spec, "steel") && above(d.weight, limits.furniture_steel_max_weight)) {
      result.deduct(15, kSteelFurnitureWeight, "Steel furniture may be too heavy for practical use");
    }
  }
  result.score = std::max(0.0, result.score);
  return result;
}

}  // namespace

Criteria::Criteria(CriteriaConfig config) : config_(config) {}

sdk::Evaluation Criteria::evaluate(const sdk::DesignSpec& spec) const {
  const std::string normalized_type = normalized(spec.design_type);
  const std::string type = normalized_type.empty() ? "general" : normalized_type;
  const Criterion complete = completeness(spec, type);
  const Criterion format = formatValidity(spec);
  const Criterion feasible = feasibility(spec, type, config_.limits);

  sdk::Evaluation evaluation;
  evaluation.completeness = complete.score;
  evaluation.format_validity = format.score;
  evaluation.feasibility = feasible.score;
  const Weights& w = config_.weights;
  const double weighted =
      complete.score * w.completeness + format.score * w.format_validity + feasible.score * w.feasibility;
  // Two decimals like the original's round(score, 2); the clamp absorbs the weights' rounding error.
  evaluation.score = std::clamp(std::round(weighted * 100) / 100, 0.0, 100.0);

  evaluation.findings.emplace();
  for (const Criterion* criterion : {&complete, &format, &feasible}) {
    for (const auto& finding : criterion->findings) {
      evaluation.feedback.push_back(finding.message);
      evaluation.findings->push_back(finding);
    }
  }
  const SuggestionThresholds& below = config_.suggest_below;
  if (complete.score < below.completeness) evaluation.suggestions.emplace_back("Add more detailed specifications");
  if (format.score < below.format_validity) evaluation.suggestions.emplace_back("Fix format and validation issues");
  if (feasible.score < below.feasibility) evaluation.suggestions.emplace_back("Review design feasibility constraints");
  return evaluation;
}

char Criteria::grade(double score) const {
  const GradeBoundaries& g = config_.grades;
  if (score >= g.a) return 'A';
  if (score >= g.b) return 'B';
  if (score >= g.c) return 'C';
  if (score >= g.d) return 'D';
  return 'F';
}

}  // namespace p2j::evaluator_criteria
