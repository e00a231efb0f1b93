// The SDK's published schemas (sdk/schemas/*.schema.json), which /openapi.json embeds, describe exactly
// what the SDK's types serialize to: a field added to a type without its schema, or the other way round,
// fails here.
#include "spec_schema.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/evaluation.hpp>
#include <p2j/sdk/feedback.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace p2j::sdk {
namespace {

testing::SpecSchema publishedSchema(const std::string& name) {
  std::ifstream in(std::filesystem::path(testing::kSourceDir) / "sdk" / "schemas" / (name + ".schema.json"));
  std::ostringstream text;
  text << in.rdbuf();
  return testing::SpecSchema(parseJson(text.str()));
}

rapidjson::Document asJson(const auto& value) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writeJson(writer, value);
  return parseJson({buffer.GetString(), buffer.GetSize()});
}

TEST(PublishedSchemas, EvaluationWithEveryFieldSet) {
  const auto schema = publishedSchema("evaluation");
  Evaluation evaluation{
      .score = 87.5,
      .completeness = 90,
      .format_validity = 100,
      .feasibility = 70,
      .feedback = {"Complete"},
      .suggestions = {"Add dimensions"},
      .timestamp = "2026-11-30T12:00:00Z",
      .grade = "B",
      .findings = std::vector<Finding>{{"completeness.features", "features", Severity::kWarning, "add", "Complete"}}};
  EXPECT_EQ(schema.violations(asJson(evaluation)), "");
  evaluation.findings->front().severity = Severity::kError;
  EXPECT_EQ(schema.violations(asJson(evaluation)), "");
  evaluation.findings->emplace_back();
  EXPECT_NE(schema.violations(asJson(evaluation)), "") << "a finding names its criterion";
  evaluation.findings.reset();
  EXPECT_EQ(schema.violations(asJson(evaluation)), "");
  evaluation.grade.reset();
  EXPECT_EQ(schema.violations(asJson(evaluation)), "");

  rapidjson::Document extra = asJson(evaluation);
  extra.AddMember("undocumented", true, extra.GetAllocator());
  EXPECT_NE(schema.violations(extra), "");
  rapidjson::Document missing = asJson(evaluation);
  missing.RemoveMember("feasibility");
  EXPECT_NE(schema.violations(missing), "");
}

TEST(PublishedSchemas, FeedbackReport) {
  const auto schema = publishedSchema("feedback-report");
  const FeedbackReport report{"heuristic", {"Use steel"}, 0.8, "rule_based"};
  EXPECT_EQ(schema.violations(asJson(report)), "");
  rapidjson::Document extra = asJson(report);
  extra.AddMember("undocumented", 1, extra.GetAllocator());
  EXPECT_NE(schema.violations(extra), "");
}

}  // namespace
}  // namespace p2j::sdk
