// The evaluator's config: the schema's defaults are the original's numbers, every number can be changed,
// and what does not make sense is refused before an instance exists.
#include "evaluator_fixture.hpp"

#include <gtest/gtest.h>

#include <string>

namespace p2j::evaluator_criteria {
namespace {

// §9.1's office: completeness 80, format validity 100, feasibility 100.
constexpr const char* kOffice = R"({"design_type": "building", "category": "commercial", "stories": 2,
    "materials": [{"type": "steel"}, {"type": "glass"}], "dimensions": {"length": 20, "width": 15, "area": 300}})";

constexpr const char* kLongTallVehicle = R"({"design_type": "vehicle", "category": "truck",
    "materials": [{"type": "steel"}], "dimensions": {"length": 25, "height": 5}, "features": ["gps"]})";

std::string refusal(const std::string& config) {
  try {
    openEvaluator(config);
  } catch (const plugins::SchemaViolation& violation) {
    return "schema: " + violation.path + ": " + violation.message;
  } catch (const plugins::PluginLoadError& error) {
    return std::string("create: ") + error.what();
  }
  return "accepted";
}

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

sdk::Evaluation evaluate(const std::string& config, const char* spec) {
  auto evaluation = openEvaluator(config)->evaluate(specFromJson(spec), "");
  evaluation.timestamp.clear();
  return evaluation;
}

TEST(EvaluatorCriteriaConfig, TheDefaultsAreTheOriginalsNumbers) {
  const std::string spelled_out = R"({
    "weights": {"completeness": 0.4, "format_validity": 0.3, "feasibility": 0.3},
    "suggest_below": {"completeness": 80, "format_validity": 90, "feasibility": 80},
    "grades": {"A": 90, "B": 80, "C": 70, "D": 60},
    "feasibility_limits": {
      "building": {"max_stories": 50, "max_height_m": 200, "wood_max_stories": 5},
      "vehicle": {"max_length_m": 20, "max_height_m": 4},
      "electronics": {"max_weight_kg": 10},
      "appliance": {"max_width_m": 3},
      "furniture": {"steel_max_weight_kg": 100}}})";
  EXPECT_EQ(evaluate("{}", kOffice), evaluate(spelled_out, kOffice));
  EXPECT_EQ(evaluate("{}", kLongTallVehicle), evaluate(spelled_out, kLongTallVehicle));
  EXPECT_DOUBLE_EQ(evaluate("{}", kOffice).score, 92);
}

TEST(EvaluatorCriteriaConfig, WeightsChangeTheScore) {
  const auto evaluation =
      evaluate(R"({"weights": {"completeness": 0.6, "format_validity": 0.2, "feasibility": 0.2}})", kOffice);
  EXPECT_DOUBLE_EQ(evaluation.completeness, 80);
  EXPECT_DOUBLE_EQ(evaluation.score, 88);
}

TEST(EvaluatorCriteriaConfig, DecimalWeightsThatSumToOneAreAccepted) {
  EXPECT_EQ(refusal(R"({"weights": {"completeness": 0.34, "format_validity": 0.33, "feasibility": 0.33}})"),
            "accepted");
  EXPECT_EQ(refusal(R"({"weights": {"completeness": 1, "format_validity": 0, "feasibility": 0}})"), "accepted");
}

TEST(EvaluatorCriteriaConfig, WeightsThatDoNotSumToOneAreRefusedByCreate) {
  const std::string one_changed = refusal(R"({"weights": {"completeness": 0.5}})");
  EXPECT_TRUE(contains(one_changed, "create: ")) << one_changed;
  EXPECT_TRUE(contains(one_changed, "could not create instance 'criteria'")) << one_changed;
  EXPECT_TRUE(contains(one_changed,
                       "weights must sum to 1, but completeness 0.5 + format_validity 0.3 + feasibility 0.3 = 1.1"))
      << one_changed;
  EXPECT_TRUE(contains(refusal(R"({"weights": {"completeness": 0, "format_validity": 0, "feasibility": 0}})"),
                       "weights must sum to 1"));
}

TEST(EvaluatorCriteriaConfig, TheSchemaRefusesWeightsOutOfRange) {
  EXPECT_TRUE(contains(refusal(R"({"weights": {"completeness": -0.2, "format_validity": 0.6, "feasibility": 0.6}})"),
                       "schema: weights.completeness"));
  EXPECT_TRUE(contains(refusal(R"({"weights": {"completeness": 1.5}})"), "schema: weights.completeness"));
  EXPECT_TRUE(contains(refusal(R"({"weights": {"completeness": "0.4"}})"), "schema: weights.completeness"));
}

TEST(EvaluatorCriteriaConfig, TheSchemaRefusesUnknownKeysAndBadLimits) {
  EXPECT_TRUE(contains(refusal(R"({"weight": {}})"), "schema: "));
  EXPECT_TRUE(contains(refusal(R"({"weights": {"innovation": 0.1}})"), "schema: "));
  EXPECT_TRUE(contains(refusal(R"({"feasibility_limits": {"boat": {}}})"), "schema: "));
  EXPECT_TRUE(contains(refusal(R"({"feasibility_limits": {"building": {"max_stories": 0}}})"),
                       "schema: feasibility_limits.building.max_stories"));
  EXPECT_TRUE(contains(refusal(R"({"feasibility_limits": {"vehicle": {"max_length_m": 0}}})"),
                       "schema: feasibility_limits.vehicle.max_length_m"));
  EXPECT_TRUE(contains(refusal(R"({"grades": {"A": 120}})"), "schema: grades.A"));
  EXPECT_TRUE(contains(refusal(R"({"suggest_below": {"feasibility": -1}})"), "schema: suggest_below.feasibility"));
}

TEST(EvaluatorCriteriaConfig, GradeBoundariesMustDescend) {
  const std::string refused = refusal(R"({"grades": {"B": 95}})");
  EXPECT_TRUE(contains(refused, "create: ")) << refused;
  EXPECT_TRUE(contains(refused, "grade boundaries must descend (A > B > C > D), but they are A 90, B 95, C 70, D 60"))
      << refused;
  EXPECT_TRUE(contains(refusal(R"({"grades": {"C": 60}})"), "grade boundaries must descend"));
}

TEST(EvaluatorCriteriaConfig, CreateExplainsAConfigThatSkippedTheSchema) {
  const auto library = criteriaLibrary();
  try {
    plugins::createInstance(*library, "criteria", R"({"weights": 5})");
    FAIL() << "expected PluginLoadError";
  } catch (const plugins::PluginLoadError& error) {
    EXPECT_TRUE(contains(error.what(), "weights: must be an object")) << error.what();
  }
}

TEST(EvaluatorCriteriaConfig, SuggestionThresholdsAreConfigurable) {
  EXPECT_TRUE(evaluate("{}", kOffice).suggestions.empty());
  EXPECT_EQ(evaluate(R"({"suggest_below": {"completeness": 90}})", kOffice).suggestions,
            (std::vector<std::string>{"Add more detailed specifications"}));
}

TEST(EvaluatorCriteriaConfig, FeasibilityLimitsAreConfigurable) {
  const auto evaluation = evaluate(R"({"feasibility_limits": {"vehicle": {"max_length_m": 30}}})", kLongTallVehicle);
  EXPECT_DOUBLE_EQ(evaluation.feasibility, 85);
  EXPECT_EQ(evaluation.feedback, (std::vector<std::string>{"Vehicle height may exceed bridge clearances"}));

  constexpr const char* kWoodTower = R"({"design_type": "building", "category": "residential", "stories": 8,
      "materials": [{"type": "wood"}], "dimensions": {"length": 20, "height": 26}, "features": ["atrium"]})";
  EXPECT_DOUBLE_EQ(evaluate("{}", kWoodTower).feasibility, 75);
  EXPECT_DOUBLE_EQ(
      evaluate(R"({"feasibility_limits": {"building": {"wood_max_stories": 18}}})", kWoodTower).feasibility, 100);
}

}  // namespace
}  // namespace p2j::evaluator_criteria
