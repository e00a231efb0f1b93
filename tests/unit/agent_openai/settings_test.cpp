#include "settings.hpp"

#include "plugins/config_schema.hpp"
#include "temp_dir.hpp"

#include <p2j/sdk/json.hpp>
#include <p2j/sdk/plugin.hpp>

#include <gtest/gtest.h>

#include <map>

namespace p2j::agent_openai {
namespace {

const std::string kKey = "sk-test-0123456789abcdef";

Settings::EnvironmentLookup environment(std::map<std::string, std::string> variables = {}) {
  return [variables](const std::string& name) -> std::optional<std::string> {
    const auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

Settings settingsFrom(const std::string& config_json, const Settings::EnvironmentLookup& env = environment()) {
  return Settings::fromJson(sdk::parseJson(config_json), env);
}

// The message of the sdk::InvalidInput `config_json` is refused with.
std::string refusal(const std::string& config_json, const Settings::EnvironmentLookup& env = environment()) {
  try {
    settingsFrom(config_json, env);
  } catch (const sdk::InvalidInput& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted " << config_json;
  return "";
}

TEST(Settings, DefaultsComeFromTheSchema) {
  const Settings s = settingsFrom(R"({"base_url": "https://api.openai.com", "model": "gpt-4o-mini"})");
  EXPECT_TRUE(s.server.https);
  EXPECT_EQ(s.server.host, "api.openai.com");
  EXPECT_EQ(s.server.port, 443);
  EXPECT_EQ(s.server.path, "/v1/chat/completions");
  EXPECT_EQ(s.model, "gpt-4o-mini");
  EXPECT_FALSE(s.api_key);
  EXPECT_EQ(s.temperature, 0);
  EXPECT_EQ(s.max_tokens, 2048);
  EXPECT_EQ(s.max_tokens_field, "max_tokens");
  EXPECT_EQ(s.timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(s.connect_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(s.token_budget, 12000);
  EXPECT_NE(s.system_prompt.find("refuse"), std::string::npos);
  EXPECT_EQ(s.response_format, ResponseFormat::kJsonSchema);
  EXPECT_EQ(s.max_in_flight, 8);
  EXPECT_EQ(s.failure_threshold, 5);
  EXPECT_EQ(s.open_for, std::chrono::milliseconds(30000));
  EXPECT_EQ(s.max_response_bytes, 1048576);
}

TEST(Settings, BaseUrlWithPortAndPathPrefix) {
  const Settings s = settingsFrom(
      R"({"base_url": "http://gpu-1:8000/proxy/", "model": "m", "response_format": "json_object",
          "circuit_breaker": {"open_seconds": 1.5}})");
  EXPECT_FALSE(s.server.https);
  EXPECT_EQ(s.server.port, 8000);
  EXPECT_EQ(s.server.path, "/proxy/v1/chat/completions");
  EXPECT_EQ(s.response_format, ResponseFormat::kJsonObject);
  EXPECT_EQ(s.open_for, std::chrono::milliseconds(1500));
  EXPECT_EQ(s.failure_threshold, 5);
}

TEST(Settings, BaseUrlMustNotCarryCredentials) {
  const std::string message = refusal(R"({"base_url": "https://user:hunter2@api.example", "model": "m"})");
  EXPECT_NE(message.find("credentials"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_NE(refusal(R"({"base_url": "https://api.example/?key=1", "model": "m"})").find("query"), std::string::npos);
}

TEST(Settings, TheKeyFromAFileOrTheEnvironment) {
  testing::TempDir dir;
  const auto file = dir.write("key", kKey + "\n");
  const Settings from_file =
      settingsFrom(R"({"base_url": "http://h", "model": "m", "api_key_file": ")" + file.string() + "\"}");
  EXPECT_EQ(from_file.api_key, kKey);
  const Settings from_env = settingsFrom(R"({"base_url": "http://h", "model": "m", "api_key_env": "LLM_KEY"})",
                                         environment({{"LLM_KEY", kKey}}));
  EXPECT_EQ(from_env.api_key, kKey);
}

TEST(Settings, KeyProblemsAreNamedWithoutTheKey) {
  testing::TempDir dir;
  const auto two_lines = dir.write("key", kKey + "\n" + kKey + "\n");
  const std::string message =
      refusal(R"({"base_url": "http://h", "model": "m", "api_key_file": ")" + two_lines.string() + "\"}");
  EXPECT_NE(message.find("one line"), std::string::npos) << message;
  EXPECT_EQ(message.find(kKey), std::string::npos) << message;

  const auto empty = dir.write("empty", "\n");
  EXPECT_NE(refusal(R"({"base_url": "http://h", "model": "m", "api_key_file": ")" + empty.string() + "\"}")
                .find("holds no API key"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"base_url": "http://h", "model": "m", "api_key_file": "/nonexistent/key"})")
                .find("cannot read api_key_file /nonexistent/key"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"base_url": "http://h", "model": "m", "api_key_env": "UNSET_KEY"})")
                .find("api_key_env: UNSET_KEY is not set"),
            std::string::npos);
  const std::string spaced =
      refusal(R"({"base_url": "http://h", "model": "m", "api_key_env": "K"})", environment({{"K", "sk-a b"}}));
  EXPECT_NE(spaced.find("one API key on one line"), std::string::npos) << spaced;
  EXPECT_EQ(spaced.find("sk-a"), std::string::npos) << spaced;
  EXPECT_NE(refusal(R"({"base_url": "http://h", "model": "m", "api_key_env": "K", "api_key_file": "/k"})",
                    environment({{"K", kKey}}))
                .find("not both"),
            std::string::npos);
}

TEST(Settings, ContradictionsTheSchemaCannotExpress) {
  EXPECT_NE(refusal(R"({"base_url": "http://h", "model": "m", "max_tokens": 4096, "token_budget": 2048})")
                .find("smaller than max_tokens"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"base_url": "http://h", "model": "m", "ca_file": "/etc/ssl/ca.pem"})").find("not https"),
            std::string::npos);
}

// What the host checks before create(): the schema itself, unknown keys, ranges, and relative paths.
TEST(Settings, TheHostValidatesConfigsAgainstTheSchema) {
  const std::string resolved = plugins::validatePluginConfig(
      kConfigSchema, R"({"base_url": "http://h", "model": "m", "api_key_file": "keys/llm"})", "/etc/p2j");
  EXPECT_EQ(sdk::parseJson(resolved)["api_key_file"].GetString(), std::string("/etc/p2j/keys/llm"));
  const auto violation = [](const std::string& config) {
    try {
      plugins::validatePluginConfig(kConfigSchema, config, "/");
    } catch (const plugins::SchemaViolation& v) {
      return v.path;
    }
    return std::string("accepted");
  };
  EXPECT_EQ(violation(R"({"model": "m"})"), "");
  EXPECT_EQ(violation(R"({"base_url": "ftp://h", "model": "m"})"), "base_url");
  EXPECT_EQ(violation(R"({"base_url": "http://h", "model": "m", "temperatur": 1})"), "");
  EXPECT_EQ(violation(R"({"base_url": "http://h", "model": "m", "temperature": 3})"), "temperature");
  EXPECT_EQ(violation(R"({"base_url": "http://h", "model": "m", "circuit_breaker": {"failure_threshold": 0}})"),
            "circuit_breaker.failure_threshold");
  EXPECT_EQ(violation(R"({"base_url": "http://h", "model": "m", "response_format": "text"})"), "response_format");
}

}  // namespace
}  // namespace p2j::agent_openai
