#include "plugins/config_schema.hpp"

#include <p2j/sdk/json.hpp>

#include <gtest/gtest.h>

namespace p2j::plugins {
namespace {

constexpr const char* kSchema = R"({
  "type": "object",
  "properties": {
    "path": {"type": "string", "format": "path"},
    "nested": {"type": "object", "properties": {"file": {"type": "string", "format": "path"}}},
    "threads": {"type": "integer", "minimum": 1},
    "hosts": {"type": "array", "items": {"type": "string"}}
  },
  "required": ["path"],
  "additionalProperties": false
})";

SchemaViolation violation(const std::string& config) {
  try {
    validatePluginConfig(kSchema, config, "/etc/p2j");
  } catch (const SchemaViolation& v) {
    return v;
  }
  return {"<none>", "no violation"};
}

TEST(PluginConfigSchema, AcceptsValidConfigAndResolvesPaths) {
  const auto result = sdk::parseJson(validatePluginConfig(
      kSchema, R"({"path": "data/p2j.db", "nested": {"file": "keys"}, "threads": 4})", "/etc/p2j"));
  EXPECT_STREQ(result["path"].GetString(), "/etc/p2j/data/p2j.db");
  EXPECT_STREQ(result["nested"]["file"].GetString(), "/etc/p2j/keys");
  EXPECT_EQ(result["threads"].GetInt(), 4);
}

TEST(PluginConfigSchema, KeepsAbsolutePaths) {
  const auto result = sdk::parseJson(validatePluginConfig(kSchema, R"({"path": "/var/lib/p2j.db"})", "/etc/p2j"));
  EXPECT_STREQ(result["path"].GetString(), "/var/lib/p2j.db");
}

TEST(PluginConfigSchema, ReportsTheDeepestFailingField) {
  EXPECT_EQ(violation(R"({"path": "x", "threads": "four"})").path, "threads");
  EXPECT_EQ(violation(R"({"path": "x", "threads": 0})").path, "threads");
  EXPECT_EQ(violation(R"({"path": "x", "hosts": ["a", 3]})").path, "hosts[1]");
}

TEST(PluginConfigSchema, MissingRequiredAndUnknownKeys) {
  EXPECT_NE(violation(R"({})").message.find("path"), std::string::npos);
  EXPECT_NE(violation(R"({"path": "x", "thread": 2})").message, "no violation");
}

TEST(PluginConfigSchema, InvalidSchemaIsReported) {
  EXPECT_THROW(validatePluginConfig("{not json", "{}", "/"), std::invalid_argument);
}

}  // namespace
}  // namespace p2j::plugins
