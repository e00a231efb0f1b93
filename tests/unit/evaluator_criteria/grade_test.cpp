// The report grade (A-F). The evaluator ABI does not carry it yet, so this checks the criteria directly,
// in the same library the plugin is built from.
#include "criteria.hpp"
#include "criteria_config.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

namespace p2j::evaluator_criteria {
namespace {

Criteria criteria(const char* config = "{}") { return Criteria(criteriaConfigFromJson(sdk::parseJson(config))); }

TEST(EvaluatorCriteriaGrade, TheOriginalsBoundariesIncludeTheirLowerEdge) {
  const Criteria defaults = criteria();
  EXPECT_EQ(defaults.grade(100), 'A');
  EXPECT_EQ(defaults.grade(90), 'A');
  EXPECT_EQ(defaults.grade(89.99), 'B');
  EXPECT_EQ(defaults.grade(80), 'B');
  EXPECT_EQ(defaults.grade(79.99), 'C');
  EXPECT_EQ(defaults.grade(70), 'C');
  EXPECT_EQ(defaults.grade(69.99), 'D');
  EXPECT_EQ(defaults.grade(60), 'D');
  EXPECT_EQ(defaults.grade(59.99), 'F');
  EXPECT_EQ(defaults.grade(0), 'F');
}

TEST(EvaluatorCriteriaGrade, MatchesTheOriginalsReports) {
  const Criteria defaults = criteria();
  EXPECT_EQ(defaults.grade(92), 'A');  // reference §9.3
  EXPECT_EQ(defaults.grade(76), 'C');  // reference §9.4, the archived "Office" report
}

TEST(EvaluatorCriteriaGrade, BoundariesComeFromTheConfig) {
  const Criteria strict = criteria(R"({"grades": {"A": 97, "B": 93, "C": 85, "D": 75}})");
  EXPECT_EQ(strict.grade(96.5), 'B');
  EXPECT_EQ(strict.grade(92), 'C');
  EXPECT_EQ(strict.grade(76), 'D');
  EXPECT_EQ(strict.grade(74.99), 'F');
}

}  // namespace
}  // namespace p2j::evaluator_criteria
