#include "strict_schema.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace p2j::agent_openai {
namespace {

rapidjson::Document designSchema() {
  std::ifstream in(P2J_TEST_DESIGN_SCHEMA);
  std::ostringstream text;
  text << in.rdbuf();
  return sdk::parseJson(text.str());
}

// Keywords OpenAI's strict mode rejects, and those a derived schema must not carry over.
const std::set<std::string> kNotInStrictMode = {"$ref",
                                                "definitions",
                                                "$schema",
                                                "$id",
                                                "allOf",
                                                "if",
                                                "then",
                                                "else",
                                                "not",
                                                "oneOf",
                                                "const",
                                                "format",
                                                "pattern",
                                                "minLength",
                                                "maxLength",
                                                "minimum",
                                                "maximum",
                                                "exclusiveMinimum",
                                                "exclusiveMaximum",
                                                "minItems",
                                                "maxItems",
                                                "uniqueItems",
                                                "default",
                                                "patternProperties",
                                                "minProperties"};

// Every schema node under `node` is strict: typed, objects closed with every property required, and no
// keyword strict mode rejects. Failures name the node's path.
void expectStrict(const rapidjson::Value& node, const std::string& path) {
  ASSERT_TRUE(node.IsObject()) << path;
  for (auto it = node.MemberBegin(); it != node.MemberEnd(); ++it) {
    EXPECT_FALSE(kNotInStrictMode.contains(it->name.GetString())) << path << " has " << it->name.GetString();
  }
  EXPECT_TRUE(node.HasMember("type")) << path << " has no type";
  if (node.HasMember("properties")) {
    ASSERT_TRUE(node.HasMember("additionalProperties")) << path;
    EXPECT_TRUE(node["additionalProperties"].IsFalse()) << path;
    std::set<std::string> properties;
    std::set<std::string> required;
    for (auto it = node["properties"].MemberBegin(); it != node["properties"].MemberEnd(); ++it) {
      properties.insert(it->name.GetString());
      expectStrict(it->value, path + "." + it->name.GetString());
    }
    for (const auto& name : node["required"].GetArray()) required.insert(name.GetString());
    EXPECT_EQ(properties, required) << path << ": strict mode wants every property required";
  } else if (node["type"].IsString() && std::string(node["type"].GetString()) == "object") {
    ADD_FAILURE() << path << " is an object without properties";
  }
  if (node.HasMember("items")) expectStrict(node["items"], path + "[]");
}

TEST(StrictSchema, TheDesignSpecSchemaBecomesStrict) {
  const auto full = designSchema();
  const auto strict = strictSchema(full, {"timestamp"});
  expectStrict(strict, "spec");
}

TEST(StrictSchema, KeepsEveryPropertyButTheOwnedOnes) {
  const auto full = designSchema();
  const auto strict = strictSchema(full, {"timestamp"});
  for (auto it = full["properties"].MemberBegin(); it != full["properties"].MemberEnd(); ++it) {
    const std::string name = it->name.GetString();
    EXPECT_EQ(strict["properties"].HasMember(it->name), name != "timestamp") << name;
  }
  for (auto it = full["properties"]["dimensions"]["properties"].MemberBegin();
       it != full["properties"]["dimensions"]["properties"].MemberEnd(); ++it) {
    EXPECT_TRUE(strict["properties"]["dimensions"]["properties"].HasMember(it->name)) << it->name.GetString();
  }
}

TEST(StrictSchema, RestatesDroppedConstraintsInTheDescription) {
  const auto strict = strictSchema(designSchema(), {"timestamp"});
  const std::string stories = strict["properties"]["stories"]["description"].GetString();
  EXPECT_NE(stories.find("Buildings only"), std::string::npos) << stories;
  EXPECT_NE(stories.find("at least 1"), std::string::npos) << stories;
  const std::string materials = strict["properties"]["materials"]["description"].GetString();
  EXPECT_NE(materials.find("at least 1 item(s)"), std::string::npos) << materials;
  const std::string features = strict["properties"]["features"]["description"].GetString();
  EXPECT_NE(features.find("no duplicates"), std::string::npos) << features;
  const std::string length = strict["properties"]["dimensions"]["properties"]["length"]["description"].GetString();
  EXPECT_NE(length.find("at least 0"), std::string::npos) << length;
}

TEST(StrictSchema, InlinesReferencesAndTypesEnums) {
  const auto strict = strictSchema(designSchema(), {"timestamp"});
  const auto& grade = strict["properties"]["materials"]["items"]["properties"]["grade"];
  ASSERT_TRUE(grade["type"].IsArray());
  EXPECT_STREQ(grade["type"][0].GetString(), "string");
  EXPECT_STREQ(grade["type"][1].GetString(), "null");
  const auto& audience = strict["properties"]["target_audience"];
  ASSERT_TRUE(audience["type"].IsArray());
  EXPECT_STREQ(audience["type"][0].GetString(), "string");
  EXPECT_STREQ(audience["type"][1].GetString(), "null");
  EXPECT_EQ(audience["enum"].Size(), 6u);
  const auto& units = strict["properties"]["dimensions"]["properties"]["units"];
  EXPECT_STREQ(units["type"].GetString(), "string");
  ASSERT_EQ(units["enum"].Size(), 1u);
  EXPECT_STREQ(units["enum"][0].GetString(), "metric");
}

TEST(StrictSchema, FreeFormObjectsBecomeNameValueLists) {
  const auto strict = strictSchema(designSchema(), {"timestamp"});
  const auto& properties = strict["properties"]["materials"]["items"]["properties"]["properties"];
  EXPECT_STREQ(properties["type"].GetString(), "array");
  EXPECT_STREQ(properties["items"]["properties"]["value"]["type"].GetString(), "string");
  const auto& other = strict["properties"]["performance"]["properties"]["other_specs"];
  EXPECT_STREQ(other["type"].GetString(), "array");
  EXPECT_STREQ(other["items"]["properties"]["name"]["type"].GetString(), "string");
}

TEST(StrictSchema, OptionalPropertiesBecomeRequiredButNullable) {
  const auto schema = sdk::parseJson(R"({
    "type": "object", "required": ["a"],
    "definitions": {"size": {"type": "number", "maximum": 9}},
    "properties": {"a": {"type": "string"}, "b": {"$ref": "#/definitions/size"}, "c": {"enum": ["x", "y"]}}})");
  const auto strict = strictSchema(schema, {});
  expectStrict(strict, "root");
  EXPECT_STREQ(strict["properties"]["a"]["type"].GetString(), "string");
  ASSERT_TRUE(strict["properties"]["b"]["type"].IsArray());
  EXPECT_STREQ(strict["properties"]["b"]["type"][1].GetString(), "null");
  EXPECT_STREQ(strict["properties"]["b"]["description"].GetString(), "(at most 9)");
  EXPECT_TRUE(strict["properties"]["c"]["enum"][2].IsNull());
}

TEST(StrictSchema, RestoresPairListsAsObjects) {
  const auto schema = designSchema();
  rapidjson::Document answer = sdk::parseJson(R"({
    "materials": [{"type": "steel", "properties": [{"name": "finish", "value": "matte"},
                                                   {"name": "finish", "value": "galvanized"},
                                                   {"name": "grade", "value": "S355"}]},
                  {"type": "glass", "properties": [1, 2]}],
    "performance": {"other_specs": [{"name": "floor_load", "value": "5 kPa"}]},
    "features": [{"name": "not", "value": "touched"}]})");
  restoreOpenObjects(answer, schema, answer.GetAllocator());
  EXPECT_EQ(sdk::toJsonText(answer["materials"][0]["properties"]), R"({"finish":"galvanized","grade":"S355"})");
  EXPECT_TRUE(answer["materials"][1]["properties"].IsArray()) << "not pairs: left for validation to report";
  EXPECT_EQ(sdk::toJsonText(answer["performance"]["other_specs"]), R"({"floor_load":"5 kPa"})");
  EXPECT_TRUE(answer["features"].IsArray()) << "only free-form objects are restored";
}

}  // namespace
}  // namespace p2j::agent_openai
