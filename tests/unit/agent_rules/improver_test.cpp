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

namespace action = sdk::finding_action;

// A finding whose message says nothing: the agent must act on its field and action alone.
sdk::Finding finding(std::string field, std::string_view what) {
  return {"test.criterion", std::move(field), sdk::Severity::kWarning, std::string(what), "(wording of no use)"};
}

sdk::Evaluation evaluation(std::optional<std::vector<sdk::Finding>> findings) {
  sdk::Evaluation result;
  result.score = 84;
  result.completeness = 60;
  result.format_validity = 100;
  result.feasibility = 100;
  result.findings = std::move(findings);
  return result;
}

sdk::ImproveRequest request(sdk::DesignSpec spec, std::optional<std::vector<sdk::Finding>> findings,
                            std::optional<std::string> action = std::nullopt) {
  return {"prompt", std::move(spec), evaluation(std::move(findings)), std::move(action)};
}

TEST(ImproverTest, ReadsEachKindOfFinding) {
  EXPECT_EQ(readFindings({finding("features", action::kAdd)}), (FeedbackNeeds{.features = true}));
  EXPECT_EQ(readFindings({finding("dimensions", action::kAdd)}), (FeedbackNeeds{.dimensions = true}));
  EXPECT_EQ(readFindings({finding("dimensions.height", action::kCorrect)}), (FeedbackNeeds{.dimensions = true}));
  EXPECT_EQ(readFindings({finding("stories", action::kAdd)}), (FeedbackNeeds{.dimensions = true}));
  EXPECT_EQ(readFindings({finding("stories", action::kCorrect)}), (FeedbackNeeds{.dimensions = true}));
  EXPECT_EQ(readFindings({finding("materials", action::kAdd)}), (FeedbackNeeds{.materials = true}));
  EXPECT_EQ(readFindings({finding("materials[0].type", action::kCorrect)}), (FeedbackNeeds{.materials = true}));
  EXPECT_EQ(readFindings({finding("category", action::kSpecify)}), (FeedbackNeeds{.generic_category = true}));
  // What the agent cannot answer: a feasibility doubt, a word it does not know, a field it does not fill.
  EXPECT_EQ(readFindings({finding("materials", action::kReview)}), FeedbackNeeds{});
  EXPECT_EQ(readFindings({finding("features", "paint")}), FeedbackNeeds{});
  EXPECT_EQ(readFindings({finding("featuresx", action::kAdd)}), FeedbackNeeds{});
  EXPECT_EQ(readFindings({finding("timeline", action::kAdd)}), FeedbackNeeds{});
  EXPECT_EQ(readFindings({finding("features", action::kAdd), finding("category", action::kSpecify)}),
            (FeedbackNeeds{.features = true, .generic_category = true}));
}

// An evaluator built against ABI 1.0 or 1.1 gives no findings: the agent reads the gaps from the spec.
TEST(ImproverTest, WithoutFindingsTheGapsComeFromTheSpec) {
  EXPECT_EQ(readGaps(building("commercial")), (FeedbackNeeds{.features = true, .dimensions = true}));
  auto complete = building("commercial");
  complete.features = {"parking"};
  complete.dimensions.length = 40;
  EXPECT_EQ(readGaps(complete), FeedbackNeeds{});
  auto broken = complete;
  broken.stories.reset();
  EXPECT_EQ(readGaps(broken), (FeedbackNeeds{.dimensions = true}));
  broken = complete;
  broken.dimensions.width = -3;
  EXPECT_EQ(readGaps(broken), (FeedbackNeeds{.dimensions = true}));
  broken = complete;
  broken.materials = {{"Standard", std::nullopt, "{}"}};
  broken.features = {"  "};
  EXPECT_EQ(readGaps(broken), (FeedbackNeeds{.features = true, .materials = true}));
  EXPECT_EQ(readGaps(building("general")),
            (FeedbackNeeds{.features = true, .dimensions = true, .generic_category = true}));

  const auto improvement = improveSpec(request(building("commercial"), std::nullopt));
  EXPECT_EQ(improvement.spec.features,
            (std::vector<std::string>{"elevator", "parking", "security", "air_conditioning"}));
  EXPECT_DOUBLE_EQ(*improvement.spec.dimensions.length, 40);
  const auto again = improveSpec(request(improvement.spec, std::nullopt));
  EXPECT_EQ(again.spec, improvement.spec);
}

TEST(ImproverTest, MissingFeaturesGetTheCategorysTypicalFeatures) {
  const auto improvement = improveSpec(request(building("commercial"), {{finding("features", action::kAdd)}}));
  EXPECT_EQ(improvement.spec.features,
            (std::vector<std::string>{"elevator", "parking", "security", "air_conditioning"}));
  ASSERT_EQ(improvement.changes.size(), 1u);
  EXPECT_EQ(improvement.changes[0],
            "added features typical of commercial buildings: elevator, parking, security, air_conditioning");
}

TEST(ImproverTest, KeepsFeaturesAlreadyThereAndAddsNoDuplicates) {
  auto spec = building("residential");
  spec.features = {"parking"};
  const auto improvement = improveSpec(request(spec, std::vector<sdk::Finding>{}, std::string(kAddFeatures)));
  EXPECT_EQ(improvement.spec.features, (std::vector<std::string>{"parking", "balcony", "garden"}));
  const auto again = improveSpec(request(improvement.spec, std::vector<sdk::Finding>{}, std::string(kAddFeatures)));
  EXPECT_EQ(again.spec, improvement.spec);
  EXPECT_EQ(again.changes[0], "no features to add: the spec already has those typical of residential buildings");
}

TEST(ImproverTest, MissingDimensionsAreEstimatedInSiAndMarked) {
  auto spec = building("commercial");
  spec.stories = 10;
  const auto improvement = improveSpec(request(spec, {{finding("dimensions", action::kAdd)}}));
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
  auto improvement = improveSpec(request(spec, std::vector<sdk::Finding>{}, std::string(kAddDimensions)));
  EXPECT_DOUBLE_EQ(*improvement.spec.dimensions.length, 80);
  EXPECT_DOUBLE_EQ(*improvement.spec.dimensions.width, 60);
  EXPECT_EQ(improvement.spec.performance.other_specs.at("estimated_dimensions"), "width, height, area");

  spec = building("commercial");
  spec.dimensions.area = 400;
  improvement = improveSpec(request(spec, std::vector<sdk::Finding>{}, std::string(kAddDimensions)));
  EXPECT_DOUBLE_EQ(*improvement.spec.dimensions.length, 20);
  EXPECT_DOUBLE_EQ(*improvement.spec.dimensions.width, 20);
  EXPECT_DOUBLE_EQ(*improvement.spec.dimensions.area, 400);
}

TEST(ImproverTest, InvalidDimensionsAreReplacedAndMissingStoriesEstimated) {
  auto spec = building("residential");
  spec.stories.reset();
  spec.dimensions.length = -5;
  const auto improvement =
      improveSpec(request(spec, {{finding("dimensions", action::kCorrect), finding("stories", action::kAdd)}}));
  EXPECT_EQ(improvement.spec.stories, 1);
  EXPECT_DOUBLE_EQ(*improvement.spec.dimensions.length, 12);
  EXPECT_EQ(improvement.spec.performance.other_specs.at("estimated_dimensions"),
            "stories, length, width, height, area");
}

TEST(ImproverTest, NonBuildingsGetTheirOwnTypicalSizes) {
  sdk::DesignSpec spec;
  spec.design_type = "appliance";
  spec.category = "refrigerator";
  const auto improvement = improveSpec(request(spec, {{finding("dimensions", action::kAdd)}}));
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
  const auto improvement = improveSpec(request(spec, std::vector<sdk::Finding>{}, std::string(kAddFeatures)));
  EXPECT_EQ(improvement.spec.features, (std::vector<std::string>{"parking", "security", "elevator"}));
}

TEST(ImproverTest, AGeneralDesignHasNoSizeToGuess) {
  sdk::DesignSpec spec;
  spec.design_type = "general";
  spec.category = "custom";
  spec.materials = {{"standard", "standard", "{}"}};
  auto improvement = improveSpec(request(spec, std::vector<sdk::Finding>{}, std::string(kAddDimensions)));
  EXPECT_EQ(improvement.spec, spec);
  EXPECT_EQ(improvement.changes[0], "no typical dimensions for designs: left unset");
  improvement = improveSpec(request(spec, std::vector<sdk::Finding>{}, std::string(kAddMaterials)));
  EXPECT_EQ(improvement.spec, spec);
}

TEST(ImproverTest, FewMaterialsGetTypicalOnesAndThePlaceholderGoes) {
  sdk::DesignSpec spec;
  spec.design_type = "furniture";
  spec.category = "chair";
  spec.materials = {{"standard", "standard", "{}"}};
  const auto improvement = improveSpec(request(spec, {{finding("materials", action::kAdd)}}));
  ASSERT_EQ(improvement.spec.materials.size(), 3u);
  EXPECT_EQ(improvement.spec.materials[0].type, "wood");
  EXPECT_EQ(improvement.spec.materials[0].grade, "standard");
  EXPECT_EQ(improvement.spec.materials[2].type, "metal");
  EXPECT_EQ(improvement.changes[0], "added materials typical of chairs: wood, fabric, metal");

  auto with_wood = spec;
  with_wood.materials = {{"Wood", "OAK", "{}"}};
  const auto kept = improveSpec(request(with_wood, std::vector<sdk::Finding>{}, std::string(kAddMaterials)));
  ASSERT_EQ(kept.spec.materials.size(), 3u);
  EXPECT_EQ(kept.spec.materials[0].grade, "OAK");
}

TEST(ImproverTest, AGenericCategoryIsKeptAndSaidSo) {
  const auto spec = building("general");
  const auto improvement = improveSpec(request(spec, {{finding("category", action::kSpecify)}}));
  EXPECT_EQ(improvement.spec, spec);
  ASSERT_EQ(improvement.changes.size(), 1u);
  EXPECT_EQ(improvement.changes[0], "kept category 'general': the prompt names no more specific kind of building");

  const auto refined = improveSpec(request(spec, std::vector<sdk::Finding>{}, std::string(kRefineRequirements)));
  EXPECT_EQ(refined.spec.category, "general");
  EXPECT_EQ(refined.spec.requirements.back(),
            "Specify the kind of building (residential, commercial, industrial or institutional)");
  EXPECT_EQ(refined.changes.back(), "kept category 'general': the prompt names no more specific kind of building");
}

TEST(ImproverTest, WithoutFindingsNothingChanges) {
  const auto spec = building("commercial");
  const auto improvement = improveSpec(request(spec, std::vector<sdk::Finding>{}));
  EXPECT_EQ(improvement.spec, spec);
  EXPECT_EQ(improvement.changes,
            (std::vector<std::string>{"no change: the evaluation asks for nothing this agent can add"}));
}

TEST(ImproverTest, AnActionDoesOnlyItsOwnPart) {
  const auto spec = building("commercial");
  const auto improvement = improveSpec(request(
      spec, {{finding("dimensions", action::kAdd), finding("features", action::kAdd)}}, std::string(kAddMaterials)));
  EXPECT_TRUE(improvement.spec.features.empty());
  EXPECT_FALSE(improvement.spec.dimensions.length);
  EXPECT_EQ(improvement.spec.materials.size(), 3u);
}

TEST(ImproverTest, AnUnknownActionIsInvalidInput) {
  EXPECT_THROW(improveSpec(request(building("commercial"), std::vector<sdk::Finding>{}, std::string("paint_it_red"))),
               sdk::InvalidInput);
}

TEST(ImproverTest, IsDeterministic) {
  const auto first = improveSpec(
      request(building("institutional"), {{finding("dimensions", action::kAdd), finding("features", action::kAdd)}}));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(improveSpec(request(building("institutional"),
                                  {{finding("dimensions", action::kAdd), finding("features", action::kAdd)}})),
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
