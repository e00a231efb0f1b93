#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/evaluation.hpp>
#include <p2j/sdk/feedback.hpp>
#include <p2j/sdk/improvement.hpp>
#include <p2j/sdk/time.hpp>

#include <gtest/gtest.h>

namespace p2j::sdk {
namespace {

DesignSpec sampleSpec() {
  DesignSpec spec;
  spec.design_type = "building";
  spec.category = "commercial";
  spec.stories = 10;
  spec.materials = {{"steel", "A36", "{}"}, {"glass", std::nullopt, R"({"tint":"grey","layers":2})"}};
  spec.dimensions.length = 40;
  spec.dimensions.width = 30.5;
  spec.dimensions.area = 1220;
  spec.performance.power = "2 kW";
  spec.performance.other_specs = {{"screen_size", "15 in"}};
  spec.features = {"elevator", "parking"};
  spec.requirements = {"Design a 10-story office building", "It must have parking."};
  spec.constraints = {"budget constraint"};
  spec.target_audience = "professional";
  spec.estimated_cost = "$1,500,000";
  spec.timestamp = "2026-11-30T12:00:00.000000Z";
  return spec;
}

TEST(DesignSpecJson, RoundTripsEveryField) {
  const DesignSpec spec = sampleSpec();
  const std::string text = serialize(spec);
  EXPECT_EQ(designSpecFromJson(parseJson(text)), spec);
}

TEST(DesignSpecJson, WritesTheOriginalShapeWithNulls) {
  DesignSpec spec;
  spec.design_type = "vehicle";
  spec.category = "automobile";
  const auto json = parseJson(serialize(spec));
  EXPECT_TRUE(json["stories"].IsNull());
  EXPECT_TRUE(json["dimensions"]["length"].IsNull());
  EXPECT_STREQ(json["dimensions"]["units"].GetString(), "metric");
  EXPECT_TRUE(json["performance"]["other_specs"].IsObject());
  EXPECT_TRUE(json["estimated_cost"].IsNull());
  for (const char* list : {"materials", "features", "components", "requirements", "constraints", "use_cases"}) {
    EXPECT_TRUE(json[list].IsArray()) << list;
  }
}

TEST(DesignSpecJson, ReadsMinimalSpecsWithDefaults) {
  const DesignSpec spec = designSpecFromJson(parseJson(R"({"design_type": "furniture"})"));
  EXPECT_EQ(spec.design_type, "furniture");
  EXPECT_EQ(spec.category, "general");
  EXPECT_FALSE(spec.stories);
  EXPECT_TRUE(spec.materials.empty());
  EXPECT_EQ(spec.dimensions.units, "metric");
}

void expectFieldError(const std::string& json, const std::string& path) {
  try {
    designSpecFromJson(parseJson(json), "spec");
    FAIL() << "expected FieldError at " << path;
  } catch (const FieldError& e) {
    EXPECT_EQ(e.path(), path) << e.what();
  }
}

// One default, whichever way a spec is made: built in code, read from JSON without a category, or built,
// written and read back.
TEST(DesignSpecJson, AnUnspecifiedCategoryIsTheSameInCodeAndInJson) {
  DesignSpec built;
  built.design_type = "furniture";
  const DesignSpec read = designSpecFromJson(parseJson(R"({"design_type": "furniture"})"));
  EXPECT_EQ(built.category, "general");
  EXPECT_EQ(read.category, built.category);
  EXPECT_EQ(designSpecFromJson(parseJson(serialize(built))), built);
  EXPECT_EQ(read, built);
}

TEST(DesignSpecJson, NamesTheWrongField) {
  expectFieldError(R"({"category": "x"})", "spec.design_type");
  expectFieldError(R"({"design_type": 3})", "spec.design_type");
  expectFieldError(R"({"design_type": "building", "stories": "abc"})", "spec.stories");
  expectFieldError(R"({"design_type": "building", "stories": 2.5})", "spec.stories");
  expectFieldError(R"({"design_type": "x", "materials": "steel"})", "spec.materials");
  expectFieldError(R"({"design_type": "x", "materials": [{"type": "a"}, {"grade": "b"}]})", "spec.materials[1].type");
  expectFieldError(R"({"design_type": "x", "dimensions": {"length": "10m"}})", "spec.dimensions.length");
  expectFieldError(R"({"design_type": "x", "features": ["a", 1]})", "spec.features[1]");
  expectFieldError(R"({"design_type": "x", "performance": {"other_specs": []}})", "spec.performance.other_specs");
}

TEST(DesignSpecJson, NonAsciiSurvives) {
  DesignSpec spec;
  spec.requirements = {"Café für 20 Gäste — 中文 🏠"};
  EXPECT_EQ(designSpecFromJson(parseJson(serialize(spec))).requirements, spec.requirements);
}

TEST(EvaluationJson, RoundTripsAndChecksRanges) {
  Evaluation evaluation{92,
                        80,
                        100,
                        85,
                        {"No special features specified"},
                        {},
                        "2026-11-30T12:00:00.000000Z",
                        "A",
                        std::vector<Finding>{{"completeness.features", "features", Severity::kWarning, "add",
                                              "No special features specified"}}};
  EXPECT_EQ(evaluationFromJson(parseJson(serialize(evaluation))), evaluation);
  EXPECT_THROW(
      evaluationFromJson(parseJson(R"({"score": 101, "completeness": 1, "format_validity": 1, "feasibility": 1})")),
      FieldError);
  EXPECT_THROW(evaluationFromJson(parseJson(R"({"score": 50})")), FieldError);
}

// Absent findings (an evaluator that does not report them) and no findings (it found nothing) stay apart.
TEST(EvaluationJson, TellsNoFindingsFromFindingsNotReported) {
  const std::string scores = R"("score": 100, "completeness": 100, "format_validity": 100, "feasibility": 100)";
  EXPECT_FALSE(evaluationFromJson(parseJson("{" + scores + "}")).findings);
  const Evaluation none = evaluationFromJson(parseJson("{" + scores + R"(, "findings": []})"));
  ASSERT_TRUE(none.findings);
  EXPECT_TRUE(none.findings->empty());
  EXPECT_TRUE(parseJson(serialize(none)).HasMember("findings"));
  EXPECT_FALSE(parseJson(serialize(Evaluation{})).HasMember("findings"));
}

TEST(EvaluationJson, FindingsAreChecked) {
  const std::string scores = R"({"score": 1, "completeness": 1, "format_validity": 1, "feasibility": 1, )";
  auto expectFieldError = [&](const std::string& findings, const std::string& path) {
    try {
      evaluationFromJson(parseJson(scores + R"("findings": )" + findings + "}"));
      ADD_FAILURE() << "accepted " << findings;
    } catch (const FieldError& e) {
      EXPECT_EQ(e.path(), path) << e.what();
    }
  };
  expectFieldError(R"({"criterion": "x"})", "findings");
  expectFieldError(R"([{"field": "features", "severity": "warning", "action": "add"}])", "findings[0].criterion");
  expectFieldError(R"([{"criterion": "", "severity": "warning", "action": "add"}])", "findings[0].criterion");
  expectFieldError(R"([{"criterion": "c", "severity": "fatal", "action": "add"}])", "findings[0].severity");
  expectFieldError(R"([{"criterion": "c", "severity": "error"}])", "findings[0].action");
  expectFieldError(R"([{"criterion": "c", "severity": "info", "action": "add", "field": 3}])", "findings[0].field");
  // A word of a newer SDK is kept for the agent to skip, not refused.
  const Evaluation newer = evaluationFromJson(
      parseJson(scores + R"("findings": [{"criterion": "c", "severity": "info", "action": "rotate"}]})"));
  EXPECT_EQ(newer.findings->at(0).action, "rotate");
  EXPECT_EQ(newer.findings->at(0).field, "");
}

TEST(Finding, FieldWithinMatchesWholeSegments) {
  EXPECT_TRUE(fieldWithin("dimensions", "dimensions"));
  EXPECT_TRUE(fieldWithin("dimensions.height", "dimensions"));
  EXPECT_TRUE(fieldWithin("materials[0].type", "materials"));
  EXPECT_FALSE(fieldWithin("dimensionsx", "dimensions"));
  EXPECT_FALSE(fieldWithin("dim", "dimensions"));
  EXPECT_FALSE(fieldWithin("", "dimensions"));
}

TEST(RequestJson, ImproveAndReviewRequestsRoundTrip) {
  DesignSpec spec;
  spec.design_type = "building";
  spec.category = "commercial";
  const Evaluation evaluation{84,
                              60,
                              100,
                              100,
                              {},
                              {"Add features"},
                              "2026-11-30T12:00:00.000000Z",
                              std::nullopt,
                              std::vector<Finding>{{"c", "features", Severity::kInfo, "add", "Add features"}}};
  const FeedbackRequest review{"An office", spec, evaluation};
  const FeedbackRequest read_review = feedbackRequestFromJson(parseJson(serialize(review)));
  EXPECT_EQ(read_review.prompt, "An office");
  EXPECT_EQ(read_review.spec, spec);
  EXPECT_EQ(read_review.evaluation, evaluation);
  const ImproveRequest improve{"An office", spec, evaluation, "add_features"};
  const ImproveRequest read_improve = improveRequestFromJson(parseJson(serialize(improve)));
  EXPECT_EQ(read_improve.spec, spec);
  EXPECT_EQ(read_improve.action, "add_features");
  EXPECT_EQ(read_improve.evaluation, evaluation);
  EXPECT_THROW(feedbackRequestFromJson(parseJson(R"({"prompt": "x", "evaluation": {}})")), FieldError);
}

TEST(FeedbackJson, RoundTripsAndChecksTheConfidence) {
  const FeedbackReport report{"heuristic", {"Add elevator"}, 0.9, "rule_based"};
  EXPECT_EQ(feedbackReportFromJson(parseJson(serialize(report))), report);
  EXPECT_THROW(feedbackReportFromJson(
                   parseJson(R"({"feedback_type": "x", "suggestions": [], "confidence": 1.5, "source": "y"})")),
               FieldError);
  EXPECT_THROW(feedbackReportFromJson(parseJson(R"({"feedback_type": "x", "suggestions": [], "source": "y"})")),
               FieldError);
}

TEST(Json, SyntaxErrorsSayWhere) {
  try {
    parseJson(R"({"prompt": "x",})");
    FAIL();
  } catch (const JsonSyntaxError& e) {
    EXPECT_NE(std::string(e.what()).find("at byte"), std::string::npos) << e.what();
  }
}

TEST(Time, FormatsUtcWithMicroseconds) {
  const auto when = std::chrono::system_clock::time_point(std::chrono::microseconds(1764504000123456LL));
  EXPECT_EQ(formatUtcTimestamp(when), "2025-11-30T12:00:00.123456Z");
}

}  // namespace
}  // namespace p2j::sdk
