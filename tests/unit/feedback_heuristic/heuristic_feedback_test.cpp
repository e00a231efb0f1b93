#include "heuristic_feedback.hpp"

#include <gtest/gtest.h>

namespace p2j::feedback_heuristic {
namespace {

sdk::DesignSpec spec(std::string design_type, std::string category, std::vector<std::string> features) {
  sdk::DesignSpec result;
  result.design_type = std::move(design_type);
  result.category = std::move(category);
  result.materials = {{"concrete", "standard", "{}"}};
  result.features = std::move(features);
  return result;
}

sdk::Evaluation scored(double score) {
  sdk::Evaluation evaluation;
  evaluation.score = score;
  return evaluation;
}

using Suggestions = std::vector<std::string>;

TEST(HeuristicFeedbackTest, TheOriginalsOfficeBuildingSession) {
  auto office = spec("building", "commercial", {});
  EXPECT_EQ(heuristicFeedback(office, scored(84)).suggestions,
            (Suggestions{"Include more functional features based on building type",
                         "Good specification with room for enhancement"}));
  office.features = {"parking", "security"};
  EXPECT_EQ(heuristicFeedback(office, scored(92)).suggestions, Suggestions{"Specification looks good"});
}

TEST(HeuristicFeedbackTest, KeepsTheOriginalsEnvelope) {
  const sdk::FeedbackReport report = heuristicFeedback(spec("building", "commercial", {"a", "b"}), scored(95));
  EXPECT_EQ(report.feedback_type, "heuristic");
  EXPECT_EQ(report.source, "rule_based");
  EXPECT_DOUBLE_EQ(report.confidence, 0.9);
  EXPECT_EQ(sdk::serialize(report),
            R"({"feedback_type":"heuristic","suggestions":["Specification looks good"],"confidence":0.9,)"
            R"("source":"rule_based"})");
}

TEST(HeuristicFeedbackTest, BuildingRulesUseTheUniversalCategories) {
  auto tower = spec("building", "commercial", {"parking", "security"});
  tower.stories = 10;
  EXPECT_EQ(heuristicFeedback(tower, scored(95)).suggestions,
            Suggestions{"Add elevator for multi-story office building"});
  auto house = spec("building", "residential", {"garden", "pool"});
  house.dimensions.area = 60;
  EXPECT_EQ(heuristicFeedback(house, scored(95)).suggestions,
            (Suggestions{"Consider increasing building area for practical use",
                         "Include parking facilities for residential building"}));
}

TEST(HeuristicFeedbackTest, SmallAreasAreOnlyABuildingConcern) {
  auto phone = spec("electronics", "mobile", {"camera", "touchscreen"});
  phone.dimensions.area = 0.01;
  EXPECT_EQ(heuristicFeedback(phone, scored(95)).suggestions, Suggestions{"Specification looks good"});
  phone.features.clear();
  EXPECT_EQ(heuristicFeedback(phone, scored(95)).suggestions,
            Suggestions{"Include more functional features based on electronics type"});
}

TEST(HeuristicFeedbackTest, LowScoresAndMissingMaterials) {
  auto bare = spec("general", "custom", {"a", "b"});
  bare.materials.clear();
  EXPECT_EQ(heuristicFeedback(bare, scored(60)).suggestions,
            (Suggestions{"Add material specifications for structural integrity",
                         "Overall specification needs significant improvement"}));
}

}  // namespace
}  // namespace p2j::feedback_heuristic
