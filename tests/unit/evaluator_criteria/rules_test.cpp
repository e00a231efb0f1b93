// The evaluator's rules, case by case: a spec in, the four numbers and the exact feedback and suggestions out.
// The first cases are the original service's observed outputs (reference §4.1 and §9), which must not move.
#include "evaluator_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <regex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace p2j::evaluator_criteria {
namespace {

using Strings = std::vector<std::string>;

struct RuleCase {
  const char* name;
  const char* spec;
  double completeness;
  double format_validity;
  double feasibility;
  double score;
  Strings feedback;
  Strings suggestions;
};

void PrintTo(const RuleCase& c, std::ostream* out) { *out << c.name << ": " << c.spec; }

const RuleCase kCases[] = {
    // The original's observed outputs.
    {"TwoStoryOfficeSteelGlass20x15",
     R"({"design_type": "building", "category": "commercial", "stories": 2,
         "materials": [{"type": "steel", "grade": "standard"}, {"type": "glass", "grade": "standard"}],
         "dimensions": {"length": 20, "width": 15, "area": 300}, "features": []})",
     80,
     100,
     100,
     92,
     {"No special features specified"},
     {}},
    {"OfficeBuildingFirstIteration",
     R"({"design_type": "building", "category": "commercial", "stories": 1, "materials": [{"type": "concrete"}]})",
     60,
     100,
     100,
     84,
     {"No dimensions specified", "No special features specified"},
     {"Add more detailed specifications"}},
    {"OfficeBuildingSecondIteration",
     R"({"design_type": "building", "category": "commercial", "stories": 1, "materials": [{"type": "concrete"}],
         "features": ["parking", "security"]})",
     80,
     100,
     100,
     92,
     {"No dimensions specified"},
     {}},
    {"GenericBuildingCategory",
     R"({"design_type": "building", "category": "general", "materials": [{"type": "concrete"}],
         "features": ["parking"]})",
     60,
     100,
     100,
     84,
     {"Building type not specified or too generic", "No dimensions specified"},
     {"Add more detailed specifications"}},
    {"BridgeIsGeneralCustom",
     R"({"design_type": "general", "category": "custom", "materials": [{"type": "standard"}]})",
     40,
     100,
     100,
     76,
     {"General dimensions not specified", "No dimensions specified", "No special features specified"},
     {"Add more detailed specifications"}},
    {"LuxuryCarWithoutDimensions",
     R"({"design_type": "vehicle", "category": "automobile", "materials": [{"type": "leather"}],
         "features": ["gps", "luxury"]})",
     60,
     100,
     100,
     84,
     {"Vehicle dimensions not specified", "No dimensions specified"},
     {"Add more detailed specifications"}},
    {"SmartFridgeWithoutDimensions",
     R"({"design_type": "appliance", "category": "fridge", "materials": [{"type": "stainless steel"}],
         "features": ["smart"]})",
     60,
     100,
     100,
     84,
     {"Appliance dimensions not specified", "No dimensions specified"},
     {"Add more detailed specifications"}},
    {"HouseWithGarden",
     R"({"design_type": "building", "category": "residential", "stories": 1, "materials": [{"type": "concrete"}],
         "features": ["garden"]})",
     80,
     100,
     100,
     92,
     {"No dimensions specified"},
     {}},
    {"LaptopWithoutDimensions",
     R"({"design_type": "electronics", "category": "computing", "materials": [{"type": "aluminum"}],
         "features": ["touchscreen"]})",
     60,
     100,
     100,
     84,
     {"Electronics dimensions not specified", "No dimensions specified"},
     {"Add more detailed specifications"}},
    {"EverythingPresent",
     R"({"design_type": "building", "category": "commercial", "stories": 5, "materials": [{"type": "steel"}],
         "dimensions": {"length": 30, "width": 25, "height": 17.5, "area": 750}, "features": ["elevator"]})",
     100,
     100,
     100,
     100,
     {},
     {}},
    {"LongTallVehicleWithoutFeatures",
     R"({"design_type": "vehicle", "category": "truck", "materials": [{"type": "steel"}],
         "dimensions": {"length": 25, "height": 5}})",
     80,
     100,
     65,
     81.5,
     {"No special features specified", "Vehicle length may be excessive for standard roads",
      "Vehicle height may exceed bridge clearances"},
     {"Review design feasibility constraints"}},

    // Building feasibility: the stories rules are live now that the spec carries stories.
    {"BuildingWithTooManyStories",
     R"({"design_type": "building", "category": "commercial", "stories": 60, "materials": [{"type": "steel"}],
         "dimensions": {"length": 40, "width": 30, "height": 180}, "features": ["elevator"]})",
     100,
     100,
     70,
     91,
     {"Excessive number of stories may not be feasible"},
     {"Review design feasibility constraints"}},
    {"BuildingAtTheStoryLimit",
     R"({"design_type": "building", "category": "commercial", "stories": 50, "materials": [{"type": "steel"}],
         "dimensions": {"length": 40, "width": 30, "height": 180}, "features": ["elevator"]})",
     100,
     100,
     100,
     100,
     {},
     {}},
    {"BuildingTooTall",
     R"({"design_type": "building", "category": "commercial", "stories": 10, "materials": [{"type": "steel"}],
         "dimensions": {"length": 40, "width": 30, "height": 250}, "features": ["elevator"]})",
     100,
     100,
     80,
     94,
     {"Building height may be excessive"},
     {}},
    {"BuildingAtTheHeightLimit",
     R"({"design_type": "building", "category": "commercial", "stories": 10, "materials": [{"type": "steel"}],
         "dimensions": {"length": 40, "width": 30, "height": 200}, "features": ["elevator"]})",
     100,
     100,
     100,
     100,
     {},
     {}},
    {"WoodHighRise",
     R"({"design_type": "building", "category": "residential", "stories": 6, "materials": [{"type": "wood"}],
         "dimensions": {"length": 20, "width": 15, "height": 20}, "features": ["balcony"]})",
     100,
     100,
     75,
     92.5,
     {"Wood construction may not be suitable for high-rise buildings"},
     {"Review design feasibility constraints"}},
    {"WoodAtTheStoryLimit",
     R"({"design_type": "building", "category": "residential", "stories": 5, "materials": [{"type": "wood"}],
         "dimensions": {"length": 20, "width": 15}, "features": ["balcony"]})",
     100,
     100,
     100,
     100,
     {},
     {}},
    {"WoodBuildingWithoutStoriesIsOneStory",
     R"({"design_type": "building", "category": "residential", "materials": [{"type": "wood"}],
         "dimensions": {"length": 20, "width": 15}, "features": ["porch"]})",
     100,
     100,
     100,
     100,
     {},
     {}},
    {"BuildingBreakingEveryRule",
     R"({"design_type": "building", "category": "commercial", "stories": 60,
         "materials": [{"type": "steel"}, {"type": "wood"}],
         "dimensions": {"length": 40, "width": 30, "height": 210}, "features": ["elevator"]})",
     100,
     100,
     25,
     77.5,
     {"Excessive number of stories may not be feasible", "Building height may be excessive",
      "Wood construction may not be suitable for high-rise buildings"},
     {"Review design feasibility constraints"}},

    // Vehicle feasibility.
    {"WoodenVehicle",
     R"({"design_type": "vehicle", "category": "automobile", "materials": [{"type": "wood"}],
         "dimensions": {"length": 4, "width": 2, "height": 1.5}, "features": ["gps"]})",
     100,
     100,
     80,
     94,
     {"Wood may not be suitable for vehicle construction"},
     {}},
    {"VehicleBreakingEveryRule",
     R"({"design_type": "vehicle", "category": "truck", "materials": [{"type": "wood"}],
         "dimensions": {"length": 25, "height": 5}, "features": ["sleeper cab"]})",
     100,
     100,
     45,
     83.5,
     {"Vehicle length may be excessive for standard roads", "Vehicle height may exceed bridge clearances",
      "Wood may not be suitable for vehicle construction"},
     {"Review design feasibility constraints"}},
    {"VehicleAtTheLimits",
     R"({"design_type": "vehicle", "category": "truck", "materials": [{"type": "steel"}],
         "dimensions": {"length": 20, "height": 4}, "features": ["sleeper cab"]})",
     100,
     100,
     100,
     100,
     {},
     {}},

    // Electronics, appliance and furniture feasibility.
    {"HeavyElectronics",
     R"({"design_type": "electronics", "category": "computing", "materials": [{"type": "aluminum"}],
         "dimensions": {"length": 0.4, "width": 0.3, "weight": 12}, "features": ["touchscreen"]})",
     100,
     100,
     85,
     95.5,
     {"Device may be too heavy for portable use"},
     {}},
    {"ElectronicsAtTheWeightLimit",
     R"({"design_type": "electronics", "category": "computing", "materials": [{"type": "aluminum"}],
         "dimensions": {"length": 0.4, "width": 0.3, "weight": 10}, "features": ["touchscreen"]})",
     100,
     100,
     100,
     100,
     {},
     {}},
    {"WideAppliance",
     R"({"design_type": "appliance", "category": "fridge", "materials": [{"type": "stainless steel"}],
         "dimensions": {"length": 1, "width": 3.5, "height": 2}, "features": ["smart"]})",
     100,
     100,
     90,
     97,
     {"Appliance may be too wide for standard spaces"},
     {}},
    {"HeavySteelFurniture",
     R"({"design_type": "furniture", "category": "table", "materials": [{"type": "steel"}],
         "dimensions": {"length": 2, "width": 1, "weight": 120}, "features": ["storage"]})",
     100,
     100,
     85,
     95.5,
     {"Steel furniture may be too heavy for practical use"},
     {}},
    {"HeavyStainlessSteelFurnitureIsSteel",
     R"({"design_type": "furniture", "category": "table", "materials": [{"type": "stainless steel"}],
         "dimensions": {"length": 2, "width": 1, "weight": 120}, "features": ["storage"]})",
     100,
     100,
     85,
     95.5,
     {"Steel furniture may be too heavy for practical use"},
     {}},
    {"HeavyWoodenFurniture",
     R"({"design_type": "furniture", "category": "table", "materials": [{"type": "wood"}],
         "dimensions": {"length": 2, "width": 1, "weight": 120}, "features": ["storage"]})",
     100,
     100,
     100,
     100,
     {},
     {}},
    {"GeneralHasNoFeasibilityRules",
     R"({"design_type": "general", "category": "bridge", "stories": 80, "materials": [{"type": "wood"}],
         "dimensions": {"length": 500, "width": 30, "height": 300, "weight": 1000000}, "features": ["cables"]})",
     100,
     100,
     100,
     100,
     {},
     {}},

    // Format validity.
    {"NegativeLength",
     R"({"design_type": "building", "category": "commercial", "stories": 2, "materials": [{"type": "steel"}],
         "dimensions": {"length": -20, "width": 15}, "features": ["parking"]})",
     100,
     75,
     100,
     92.5,
     {"Invalid dimensions"},
     {"Fix format and validation issues"}},
    {"NegativeWeight",
     R"({"design_type": "electronics", "category": "computing", "materials": [{"type": "aluminum"}],
         "dimensions": {"length": 0.4, "weight": -1}, "features": ["touchscreen"]})",
     100,
     75,
     100,
     92.5,
     {"Invalid dimensions"},
     {"Fix format and validation issues"}},
    {"NegativeStories",
     R"({"design_type": "building", "category": "commercial", "stories": -2, "materials": [{"type": "steel"}],
         "dimensions": {"length": 20, "width": 15}, "features": ["parking"]})",
     80,
     75,
     100,
     84.5,
     {"Number of stories not specified", "Invalid number of stories"},
     {"Fix format and validation issues"}},
    {"ZeroStoriesIsNotSpecified",
     R"({"design_type": "building", "category": "commercial", "stories": 0, "materials": [{"type": "steel"}],
         "dimensions": {"length": 20, "width": 15}, "features": ["parking"]})",
     80,
     100,
     100,
     92,
     {"Number of stories not specified"},
     {}},
    {"BothFormatRules",
     R"({"design_type": "building", "category": "commercial", "stories": -1, "materials": [{"type": "steel"}],
         "dimensions": {"length": -5}, "features": ["parking"]})",
     80,
     50,
     100,
     77,
     {"Number of stories not specified", "Invalid number of stories", "Invalid dimensions"},
     {"Fix format and validation issues"}},

    // Completeness details.
    {"ZeroDimensionsAreMissing",
     R"({"design_type": "vehicle", "category": "automobile", "materials": [{"type": "steel"}],
         "dimensions": {"length": 0, "width": 0, "height": 0, "area": 0}, "features": ["gps"]})",
     60,
     100,
     100,
     84,
     {"Vehicle dimensions not specified", "No dimensions specified"},
     {"Add more detailed specifications"}},
    {"DiameterSatisfiesOnlyTheTypeBlock",
     R"({"design_type": "electronics", "category": "audio", "materials": [{"type": "plastic"}],
         "dimensions": {"diameter": 0.1}, "features": ["bluetooth"]})",
     80,
     100,
     100,
     92,
     {"No dimensions specified"},
     {}},
    {"NoMaterials",
     R"({"design_type": "building", "category": "commercial", "stories": 2, "materials": [],
         "dimensions": {"length": 20, "width": 15}, "features": ["parking"]})",
     80,
     100,
     100,
     92,
     {"No materials specified"},
     {}},
    {"BlankCategoryAndBlankFeature",
     R"({"design_type": "building", "category": " ", "stories": 2, "materials": [{"type": "steel"}],
         "dimensions": {"length": 20, "width": 15}, "features": [""]})",
     60,
     100,
     100,
     84,
     {"Building type not specified or too generic", "No special features specified"},
     {"Add more detailed specifications"}},
    {"TypesCategoriesAndMaterialsIgnoreCase",
     R"({"design_type": "Vehicle", "category": "General", "materials": [{"type": "Wood "}],
         "dimensions": {"length": 25, "width": 2}, "features": ["gps"]})",
     80,
     100,
     60,
     80,
     {"Vehicle type not specified or too generic", "Vehicle length may be excessive for standard roads",
      "Wood may not be suitable for vehicle construction"},
     {"Review design feasibility constraints"}},
    {"UnknownDesignTypeIsNamedInTitleCase",
     R"({"design_type": "smart_home", "category": "hub", "materials": [{"type": "plastic"}],
         "features": ["wifi"]})",
     60,
     100,
     100,
     84,
     {"Smart_Home dimensions not specified", "No dimensions specified"},
     {"Add more detailed specifications"}},
};

class EvaluatorRules : public ::testing::TestWithParam<RuleCase> {};

TEST_P(EvaluatorRules, ScoresFeedbackAndSuggestions) {
  static const auto evaluator = openEvaluator();
  const RuleCase& c = GetParam();
  const sdk::Evaluation evaluation = evaluator->evaluate(specFromJson(c.spec), "a prompt the criteria ignore");
  EXPECT_DOUBLE_EQ(evaluation.completeness, c.completeness);
  EXPECT_DOUBLE_EQ(evaluation.format_validity, c.format_validity);
  EXPECT_DOUBLE_EQ(evaluation.feasibility, c.feasibility);
  EXPECT_DOUBLE_EQ(evaluation.score, c.score);
  EXPECT_EQ(evaluation.feedback, c.feedback);
  EXPECT_EQ(evaluation.suggestions, c.suggestions);
  // One finding per feedback line, in the same order, with the same text for people.
  ASSERT_TRUE(evaluation.findings);
  Strings messages;
  for (const auto& finding : *evaluation.findings) messages.push_back(finding.message);
  EXPECT_EQ(messages, c.feedback);
}

INSTANTIATE_TEST_SUITE_P(Table, EvaluatorRules, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<RuleCase>& param_info) {
                           return std::string(param_info.param.name);
                         });

// criterion, field, severity, action: what an agent acts on.
using FindingKey = std::tuple<std::string, std::string, sdk::Severity, std::string>;

std::vector<FindingKey> findingKeys(const std::string& spec) {
  static const auto evaluator = openEvaluator();
  const sdk::Evaluation evaluation = evaluator->evaluate(specFromJson(spec), "");
  std::vector<FindingKey> keys;
  for (const auto& f : *evaluation.findings) {
    keys.emplace_back(f.criterion, f.field, f.severity, f.action);
  }
  return keys;
}

const RuleCase& ruleCase(std::string_view name) {
  return *std::find_if(std::begin(kCases), std::end(kCases), [&](const RuleCase& c) { return c.name == name; });
}

TEST(EvaluatorCriteria, NamesTheCriterionFieldSeverityAndActionOfEachFinding) {
  using sdk::Severity;
  EXPECT_EQ(findingKeys(ruleCase("BridgeIsGeneralCustom").spec),
            (std::vector<FindingKey>{{"completeness.type_dimensions", "dimensions", Severity::kWarning, "add"},
                                     {"completeness.dimensions", "dimensions", Severity::kWarning, "add"},
                                     {"completeness.features", "features", Severity::kWarning, "add"}}));
  EXPECT_EQ(findingKeys(ruleCase("GenericBuildingCategory").spec),
            (std::vector<FindingKey>{{"completeness.category", "category", Severity::kWarning, "specify"},
                                     {"completeness.dimensions", "dimensions", Severity::kWarning, "add"}}));
  EXPECT_EQ(findingKeys(ruleCase("NoMaterials").spec),
            (std::vector<FindingKey>{{"completeness.materials", "materials", Severity::kWarning, "add"}}));
  EXPECT_EQ(findingKeys(ruleCase("BothFormatRules").spec),
            (std::vector<FindingKey>{{"completeness.stories", "stories", Severity::kWarning, "add"},
                                     {"format_validity.stories", "stories", Severity::kError, "correct"},
                                     {"format_validity.dimensions", "dimensions", Severity::kError, "correct"}}));
  EXPECT_EQ(findingKeys(ruleCase("BuildingBreakingEveryRule").spec),
            (std::vector<FindingKey>{{"feasibility.building_stories", "stories", Severity::kWarning, "review"},
                                     {"feasibility.building_height", "dimensions.height", Severity::kWarning, "review"},
                                     {"feasibility.wood_high_rise", "materials", Severity::kWarning, "review"}}));
  EXPECT_EQ(findingKeys(ruleCase("VehicleBreakingEveryRule").spec),
            (std::vector<FindingKey>{{"feasibility.vehicle_length", "dimensions.length", Severity::kWarning, "review"},
                                     {"feasibility.vehicle_height", "dimensions.height", Severity::kWarning, "review"},
                                     {"feasibility.wood_vehicle", "materials", Severity::kWarning, "review"}}));
  EXPECT_EQ(
      findingKeys(ruleCase("HeavyElectronics").spec),
      (std::vector<FindingKey>{{"feasibility.device_weight", "dimensions.weight", Severity::kWarning, "review"}}));
  EXPECT_EQ(
      findingKeys(ruleCase("WideAppliance").spec),
      (std::vector<FindingKey>{{"feasibility.appliance_width", "dimensions.width", Severity::kWarning, "review"}}));
  EXPECT_EQ(findingKeys(ruleCase("HeavySteelFurniture").spec),
            (std::vector<FindingKey>{
                {"feasibility.steel_furniture_weight", "dimensions.weight", Severity::kWarning, "review"}}));
  EXPECT_TRUE(findingKeys(ruleCase("EverythingPresent").spec).empty());
}

TEST(EvaluatorCriteria, DescribesItselfAsAThreadSafeEvaluator) {
  const auto& info = criteriaLibrary()->info();
  EXPECT_EQ(info.name, "evaluator-criteria");
  EXPECT_EQ(info.kind, P2J_KIND_EVALUATOR);
  EXPECT_TRUE(info.thread_safe);
  EXPECT_NO_THROW(sdk::parseJson(info.config_schema_json));
}

TEST(EvaluatorCriteria, GradesTheScoreWithItsOwnBoundaries) {
  const auto evaluation = openEvaluator()->evaluate(specFromJson(kCases[0].spec), "");
  ASSERT_TRUE(evaluation.grade);
  const char expected = evaluation.score >= 90   ? 'A'
                        : evaluation.score >= 80 ? 'B'
                        : evaluation.score >= 70 ? 'C'
                        : evaluation.score >= 60 ? 'D'
                                                 : 'F';
  EXPECT_EQ(*evaluation.grade, std::string(1, expected));
  const auto strict = openEvaluator(R"({"grades": {"A": 99.5, "B": 99, "C": 98, "D": 97}})")
                          ->evaluate(specFromJson(kCases[0].spec), "");
  if (evaluation.score < 97) {
    EXPECT_EQ(*strict.grade, "F");
  }
}

TEST(EvaluatorCriteria, StampsAUtcTimestamp) {
  const auto evaluation = openEvaluator()->evaluate(specFromJson(kCases[0].spec), "");
  EXPECT_TRUE(std::regex_match(evaluation.timestamp, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")))
      << evaluation.timestamp;
}

TEST(EvaluatorCriteria, SameSpecGivesTheSameEvaluationFromEveryThread) {
  const auto evaluator = openEvaluator();
  const sdk::DesignSpec spec = specFromJson(kCases[std::size(kCases) - 1].spec);
  auto withoutTimestamp = [&] {
    sdk::Evaluation evaluation = evaluator->evaluate(spec, "");
    evaluation.timestamp.clear();
    return evaluation;
  };
  const sdk::Evaluation expected = withoutTimestamp();
  constexpr int kThreads = 4;
  constexpr int kCalls = 200;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) mismatches[t] += withoutTimestamp() == expected ? 0 : 1;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace p2j::evaluator_criteria
