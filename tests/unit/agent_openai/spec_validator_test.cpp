#include "spec_validator.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace p2j::agent_openai {
namespace {

std::string designSchemaText() {
  std::ifstream in(P2J_TEST_DESIGN_SCHEMA);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// What a model following the strict schema answers (the fake server's "valid" answer).
constexpr const char* kValidAnswer = R"({
  "design_type": "building", "category": "commercial", "stories": 10,
  "materials": [{"type": "steel", "grade": "S355", "properties": [{"name": "finish", "value": "galvanized"}]},
                {"type": "glass", "grade": null, "properties": []}],
  "dimensions": {"length": 40, "width": 30, "height": 35, "depth": null, "diameter": null, "area": 1200,
                 "volume": null, "weight": null, "units": "metric"},
  "performance": {"power": null, "efficiency": "high", "capacity": null, "speed": null,
                  "other_specs": [{"name": "floor_load", "value": "5 kPa"}]},
  "features": ["atrium"], "components": [], "requirements": [], "constraints": [], "use_cases": ["offices"],
  "target_audience": "professional", "estimated_cost": null, "timeline": null})";

const std::string kTimestamp = "2026-01-02T03:04:05.000006Z";

// kValidAnswer with `field` replaced by `value` (JSON text).
std::string answerWith(const std::string& field, const std::string& value) {
  rapidjson::Document answer = sdk::parseJson(kValidAnswer);
  rapidjson::Document replacement = sdk::parseJson(value);
  answer[field.c_str()].CopyFrom(replacement, answer.GetAllocator());
  return sdk::toJsonText(answer);
}

class SpecValidatorTest : public ::testing::Test {
 protected:
  SpecValidator validator_{designSchemaText()};
};

TEST_F(SpecValidatorTest, AValidAnswerBecomesTheTypedSpec) {
  const SpecCheck check = validator_.check(kValidAnswer, kTimestamp);
  ASSERT_TRUE(check.spec) << check.error;
  EXPECT_EQ(check.spec->design_type, "building");
  EXPECT_EQ(check.spec->stories, 10);
  ASSERT_EQ(check.spec->materials.size(), 2u);
  EXPECT_EQ(check.spec->materials[0].properties_json, R"({"finish":"galvanized"})");
  EXPECT_EQ(check.spec->materials[1].properties_json, "{}");
  EXPECT_EQ(check.spec->performance.other_specs.at("floor_load"), "5 kPa");
  EXPECT_EQ(check.spec->timestamp, kTimestamp) << "the agent sets the time, not the model";
}

TEST_F(SpecValidatorTest, TheFullSchemaCatchesWhatStrictModeCannotSay) {
  const SpecCheck no_materials = validator_.check(answerWith("materials", "[]"), kTimestamp);
  EXPECT_FALSE(no_materials.spec);
  EXPECT_NE(no_materials.error.find("materials"), std::string::npos) << no_materials.error;

  const SpecCheck building_without_stories = validator_.check(answerWith("stories", "null"), kTimestamp);
  EXPECT_FALSE(building_without_stories.spec);
  EXPECT_NE(building_without_stories.error.find("stories"), std::string::npos) << building_without_stories.error;

  const SpecCheck duplicates = validator_.check(answerWith("features", R"(["atrium", "atrium"])"), kTimestamp);
  EXPECT_FALSE(duplicates.spec);
  EXPECT_NE(duplicates.error.find("features"), std::string::npos) << duplicates.error;

  const SpecCheck negative = validator_.check(
      answerWith("dimensions", R"({"length": -4, "width": null, "height": null, "depth": null, "diameter": null,
                                   "area": null, "volume": null, "weight": null, "units": "metric"})"),
      kTimestamp);
  EXPECT_FALSE(negative.spec);
  EXPECT_NE(negative.error.find("dimensions.length"), std::string::npos) << negative.error;

  const SpecCheck unknown_type = validator_.check(answerWith("design_type", R"("spaceship")"), kTimestamp);
  EXPECT_FALSE(unknown_type.spec);
  EXPECT_NE(unknown_type.error.find("design_type"), std::string::npos) << unknown_type.error;
}

TEST_F(SpecValidatorTest, NotJsonOrNotAnObject) {
  const SpecCheck prose = validator_.check("Sure! Here is your building.", kTimestamp);
  EXPECT_FALSE(prose.spec);
  EXPECT_NE(prose.error.find("not JSON"), std::string::npos) << prose.error;
  const SpecCheck list = validator_.check("[1, 2]", kTimestamp);
  EXPECT_FALSE(list.spec);
  EXPECT_EQ(list.error, "the answer must be one JSON object");
}

TEST_F(SpecValidatorTest, TheErrorForTheRepairRoundIsBounded) {
  rapidjson::Document answer = sdk::parseJson(kValidAnswer);
  const std::string long_name(2000, 'y');
  answer["dimensions"].AddMember(rapidjson::Value(long_name.c_str(), answer.GetAllocator()), rapidjson::Value(1),
                                 answer.GetAllocator());
  const SpecCheck check = validator_.check(sdk::toJsonText(answer), kTimestamp);
  EXPECT_FALSE(check.spec);
  EXPECT_NE(check.error.find("dimensions"), std::string::npos) << check.error;
  EXPECT_LE(check.error.size(), 303u);
  const SpecCheck garbage = validator_.check(std::string(10000, '['), kTimestamp);
  EXPECT_FALSE(garbage.spec);
  EXPECT_LE(garbage.error.size(), 303u);
}

TEST_F(SpecValidatorTest, TheStrictSchemaIsCompactJson) {
  const rapidjson::Document strict = sdk::parseJson(validator_.strictSchemaJson());
  EXPECT_TRUE(strict.IsObject());
  EXPECT_FALSE(strict["properties"].HasMember("timestamp"));
  EXPECT_EQ(validator_.strictSchemaJson().find('\n'), std::string::npos);
}

}  // namespace
}  // namespace p2j::agent_openai
