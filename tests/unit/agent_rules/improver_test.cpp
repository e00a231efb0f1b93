#include "improver.hpp"

#include <p2j/sdk/plugin.hpp>

#include <gtest/gtest.h>

namespace p2j::agent_rules {
namespace {

sdk::DesignSpec building(std::string category) {
  sdk::DesignSpec spec;
  spec.design_type = "building";
  spec.category = std::move(category);
  spec.stories = 1;
  spec.materials = {{"concrete", "standard", "{}"}};
  spec.requirements = {"Sustainable office building"};
  spec.timestamp = "2026-01-01T00:00:00.000000Z";
  return spec;
}

sdk::Evaluation evaluation(std::vector<std::string> feedback) {
  sdk::Evaluation result;
  result.score = 84;
  result.completeness = 60;
  result.format_validity = 100;
  result.feasibility = 100;
  result.feedback = std::move(feedback);
  return result;
}

sdk::ImproveRequest request(sdk::DesignSpec spec, std::vector<std::string> feedback,
                            std::optional<std::string> action = std::nullopt) {
  return {"prompt", std::move(spec), evaluation(std::move(feedback)), std::move(action)};
}

TEST(ImproverTest, ReadsEachKindOfFeedback) {
  EXPECT_EQ(readFeedback(evaluation({"No special features specified"})), (FeedbackNeeds{.features = true}));
  EXPECT_EQ(readFeedback(evaluation({"No features specified"})), (FeedbackNeeds{.features = true}));
  EXPECT_EQ(readFeedback(evaluation({"No dimensions specified"})), (FeedbackNeeds{.dimensions = true}));
  EXPECT_EQ(readFeedback(evaluation({"Vehicle dimensions not specified"})), (FeedbackNeeds{.dimensions = true}));
  EXPECT_EQ(readFeedback(evaluation({"Number of stories not specified"})), (FeedbackNeeds{.dimensions = true}));
  EXPECT_EQ(readFeedback(evaluation({"Invalid dimensions"})), (FeedbackNeeds{.dimensions = true}));
  EXPECT_EQ(readFeedback(evaluation({"Invalid number of stories"})), (FeedbackNeeds{.dimensions = true}));
  EXPECT_EQ(readFeedback(evaluation({"No materials specified"})), (FeedbackNeeds{.materials = true}));
  EXPECT_EQ(readFeedback(evaluation({"Building type not specified or too generic"})),
            (FeedbackNeeds{.generic_category = true}));
  EXPECT_EQ(readFeedback(evaluation({"Wood construction may not be suitable for high-rise buildings"})),
            FeedbackNeeds{});
}

TEST(ImproverTest, MissingFeaturesGetTheCategorysTypicalFeatures) {
  const auto improvement = improveSpec(request(building("commercial"), {"No special features specified"}));
  EXPECT_EQ(improvement.spec.features,
            (std::vector<std::string>{"elevator", "parking", "security", "air_conditioning"}));
  ASSERT_EQ(improvement.changes.size(), 1u);
  EXPECT_EQ(improvement.changes[0],
            "added features typical of commercial buildings: elevator, parking, security, air_conditioning");
}

TEST(ImproverTest, KeepsFeaturesAlreadyThereAndAddsNoDuplicates) {
  auto spec = building("residential");
  spec.features = {"parking"};
  const auto improvement = improveSpec(request(spec, {}, std::string(kAddFeatures)));
  EXPECT_EQ(improvement.spec.features, (std::vector<std::string>{"parking", "balcony", "garden"}));
  const auto again = improveSpec(request(improvement.spec, {}, std::string(kAddFeatures)));
  EXPECT_EQ(again.spec, improvement.spec);
  EXPECT_EQ(again.changes[0], "no features to add: the spec already has those typical of residential buildings");
}

TEST(ImproverTest, MissingDimensionsAreEstimatedInSiAndMarked) {
  auto spec = building("commercial");
  spec.stories = 10;
  const auto improvement = improveSpec(request(spec, {"No dimensions specified"}));
  const auto& d = improvement.spec.dimensions;
  EXPECT_DOUBLE_EQ(*d.length, 40);
  EXPECT_DOUBLE_EQ(*d.width, 30);
  EXPECT_DOUBLE_EQ(*d.height, 35);  // 10 stories of 3.5 m
  EXPECT_DOUBLE_EQ(*d.area, 1200);
  EXPECT_FALSE(d.weight);
  EXPECT_EQ(d.units, "metric");
  EXPECT_EQ(improvement.spec.performance.other_specs.at("estimated_dimensions"), "length, width, height, area");
  EXPECT_EQ(improvement.changes[0],
            "estimated dimensions typical of commercial buildings (marked in performance.other_specs."
            "estimated_dimensions): length 40 m, width 30 m, height 35 m, area 1200 m2");
}

TEST(ImproverTest, StatedDimensionsAreKeptAndSetTheProportions) {
  auto spec = building("commercial");
  spec.dimensions.length = 80;
  auto improvement = improveSpec(request(spec, {}, std::string(kAddDimensions)));
  EXPECT_DOUBLE_EQ(*improvement.spec.dimensions.length, 80);
  EXPECT_DOUBLE_EQ(*improvement.spec.dimensions.width, 60);
  EXPECT_EQ(improvement.spec.performance.other_specs.at("estimated_dimensions"), "width, height, area");

  spec = building("commercial");
  spec.dimensions.area = 400;
  improvement = improveSpec(request(spec, {}, std::string(kAddDimensions)));
  EXPECT_DOUBLE_EQ(*improvement.spec.dimensions.length, 20);
  EXPECT_DOUBLE_EQ(*improvement.spec.dimensions.width, 20);
  EXPECT_DOUBLE_EQ(*improvement.spec.dimensions.area, 400);
}

TEST(ImproverTest, InvalidDimensionsAreReplacedAndMissingStoriesEstimated) {
  auto spec = building("residential");
  spec.stories.reset();
  spec.dimensions.length = -5;
  const auto improvement = improveSpec(request(spec, {"Invalid dimensions", "Number of stories not specified"}));
  EXPECT_EQ(improvement.spec.stories, 1);
  EXPECT_DOUBLE_EQ(*improvement.spec.dimensions.length, 12);
  EXPECT_EQ(improvement.spec.performance.other_specs.at("estimated_dimensions"),
            "stories, length, width, height, area");
}

TEST(ImproverTest, NonBuildingsGetTheirOwnTypicalSizes) {
  sdk::DesignSpec spec;
  spec.design_type = "appliance";
  spec.category = "refrigerator";
  const auto improvement = improveSpec(request(spec, {"Appliance dimensions not specified"}));
  const auto& d = improvement.spec.dimensions;
  EXPECT_FALSE(d.length);
  EXPECT_DOUBLE_EQ(*d.width, 0.7);
  EXPECT_DOUBLE_EQ(*d.height, 1.8);
  EXPECT_DOUBLE_EQ(*d.depth, 0.7);
  EXPECT_DOUBLE_EQ(*d.weight, 80);
  EXPECT_FALSE(improvement.spec.stories);
}

TEST(ImproverTest, AnUnknownCategoryFallsBackToItsDesignType) {
  auto spec = building("custom");
  const auto improvement = improveSpec(request(spec, {}, std::string(kAddFeatures)));
  EXPECT_EQ(improvement.spec.features, (std::vector<std::string>{"parking", "security", "elevator"}));
}

TEST(ImproverTest, AGeneralDesignHasNoSizeToGuess) {
  sdk::DesignSpec spec;
  spec.design_type = "general";
  spec.category = "custom";
  spec.materials = {{"standard", "standard", "{}"}};
  auto improvement = improveSpec(request(spec, {}, std::string(kAddDimensions)));
  EXPECT_EQ(improvement.spec, spec);
  EXPECT_EQ(improvement.changes[0], "no typical dimensions for designs: left unset");
  improvement = improveSpec(request(spec, {}, std::string(kAddMaterials)));
  EXPECT_EQ(improvement.spec, spec);
}

TEST(ImproverTest, FewMaterialsGetTypicalOnesAndThePlaceholderGoes) {
  sdk::DesignSpec spec;
  spec.design_type = "furniture";
  spec.category = "chair";
  spec.materials = {{"standard", "standard", "{}"}};
  const auto improvement = improveSpec(request(spec, {"No materials specified"}));
  ASSERT_EQ(improvement.spec.materials.size(), 3u);
  EXPECT_EQ(improvement.spec.materials[0].type, "wood");
  EXPECT_EQ(improvement.spec.materials[0].grade, "standard");
  EXPECT_EQ(improvement.spec.materials[2].type, "metal");
  EXPECT_EQ(improvement.changes[0], "added materials typical of chairs: wood, fabric, metal");

  auto with_wood = spec;
  with_wood.materials = {{"Wood", "OAK", "{}"}};
  const auto kept = improveSpec(request(with_wood, {}, std::string(kAddMaterials)));
  ASSERT_EQ(kept.spec.materials.size(), 3u);
  EXPECT_EQ(kept.spec.materials[0].grade, "OAK");
}

TEST(ImproverTest, AGenericCategoryIsKeptAndSaidSo) {
  const auto spec = building("general");
  const auto improvement = improveSpec(request(spec, {"Building type not specified or too generic"}));
  EXPECT_EQ(improvement.spec, spec);
  ASSERT_EQ(improvement.changes.size(), 1u);
  EXPECT_EQ(improvement.changes[0], "kept category 'general': the prompt names no more specific kind of building");

  const auto refined = improveSpec(request(spec, {}, std::string(kRefineRequirements)));
  EXPECT_EQ(refined.spec.category, "general");
  EXPECT_EQ(refined.spec.requirements.back(),
            "Specify the kind of building (residential, commercial, industrial or institutional)");
  EXPECT_EQ(refined.changes.back(), "kept category 'general': the prompt names no more specific kind of building");
}

TEST(ImproverTest, WithoutFeedbackNothingChanges) {
  const auto spec = building("commercial");
  const auto improvement = improveSpec(request(spec, {}));
  EXPECT_EQ(improvement.spec, spec);
  EXPECT_EQ(improvement.changes,
            (std::vector<std::string>{"no change: the evaluation asks for nothing this agent can add"}));
}

TEST(ImproverTest, AnActionDoesOnlyItsOwnPart) {
  const auto spec = building("commercial");
  const auto improvement = improveSpec(
      request(spec, {"No dimensions specified", "No special features specified"}, std::string(kAddMaterials)));
  EXPECT_TRUE(improvement.spec.features.empty());
  EXPECT_FALSE(improvement.spec.dimensions.length);
  EXPECT_EQ(improvement.spec.materials.size(), 3u);
}

TEST(ImproverTest, AnUnknownActionIsInvalidInput) {
  EXPECT_THROW(improveSpec(request(building("commercial"), {}, std::string("paint_it_red"))), sdk::InvalidInput);
}

TEST(ImproverTest, IsDeterministic) {
  const auto first =
      improveSpec(request(building("institutional"), {"No dimensions specified", "No special features specified"}));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(
        improveSpec(request(building("institutional"), {"No dimensions specified", "No special features specified"})),
        first);
  }
}

TEST(ImproverTest, ListsItsActionsInAFixedOrder) {
  const auto actions = improvementActions();
  ASSERT_EQ(actions.size(), 4u);
  EXPECT_EQ(actions[0].name, "add_features");
  EXPECT_EQ(actions[1].name, "add_dimensions");
  EXPECT_EQ(actions[2].name, "add_materials");
  EXPECT_EQ(actions[3].name, "refine_requirements");
  for (const auto& action : actions) EXPECT_FALSE(action.description.empty());
}

}  // namespace
}  // namespace p2j::agent_rules
