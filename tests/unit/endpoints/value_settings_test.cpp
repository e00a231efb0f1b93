// An endpoint's typed value settings (max_iterations: 10, log_file: ...) are checked at start-up like its
// plugin references, so a typo or an out-of-range bound stops the server with file:line.
#include "endpoints/endpoint_table.hpp"

#include <gtest/gtest.h>

namespace p2j::endpoints {
namespace {

std::optional<std::string> noEnvironment(const std::string&) { return std::nullopt; }

std::optional<p2j_plugin_kind> kindOf(const std::string& instance) {
  if (instance == "rules") return P2J_KIND_AGENT;
  if (instance == "criteria") return P2J_KIND_EVALUATOR;
  if (instance == "db") return P2J_KIND_STORAGE;
  if (instance == "reviewer") return P2J_KIND_FEEDBACK;
  return std::nullopt;
}

config::Config parse(const std::string& endpoint_line) {
  const std::string yaml = R"(plugins:
  rules: { use: agent-rules }
  criteria: { use: evaluator-criteria }
  reviewer: { use: feedback-heuristic }
  db: { use: storage-sqlite, config: { path: "./p2j.db" } }
storage: db
endpoints:
  )" + endpoint_line + "\n";
  return config::parseConfig(yaml, "test.yaml", "/etc/p2j", noEnvironment);
}

// Validates the single endpoint, expecting a ConfigError on its line (8) containing `fragment`.
void expectError(const std::string& endpoint_line, const std::string& fragment) {
  const config::Config config = parse(endpoint_line);
  try {
    validateEndpoints(config, kindOf, true);
    FAIL() << "expected a ConfigError containing \"" << fragment << "\"";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(e.mark().line, 8) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

constexpr const char* kIterate =
    "- { method: POST, path: /iterate, action: iterate, agent: rules, evaluator: criteria, feedback: reviewer";

TEST(ValueSettingsTest, AcceptsValuesInRangeAndFillsDefaults) {
  const config::Config config = parse(std::string(kIterate) + ", max_iterations: 5 }");
  const ActionSettings settings = validateEndpoint(config, 0, kindOf, true);
  EXPECT_EQ(settings.integer("max_iterations"), 5);
  EXPECT_EQ(settings.number("target_score"), 100.0);
}

TEST(ValueSettingsTest, RejectsAWrongTypeOrAnOutOfRangeValue) {
  expectError(std::string(kIterate) + ", max_iterations: ten }", "max_iterations: 'ten' must be an integer");
  expectError(std::string(kIterate) + ", max_iterations: 2.5 }", "must be an integer");
  expectError(std::string(kIterate) + ", max_iterations: 0 }", "must be between 1 and 100");
  expectError(std::string(kIterate) + ", target_score: 101 }", "target_score: '101' must be between 0 and 100");
  expectError(std::string(kIterate) + ", target_score: nan }", "must be a number");
}

TEST(ValueSettingsTest, AnUnknownKeyListsEverySettingTheActionTakes) {
  expectError(std::string(kIterate) + ", max_iteration: 5 }",
              "unknown key 'max_iteration' for action 'iterate' (it takes: agent, evaluator, feedback, max_iterations, "
              "target_score)");
}

TEST(ValueSettingsTest, ARequiredPathMustBeSetAndResolvesAgainstTheConfigDirectory) {
  expectError("- { method: POST, path: /log-values, action: log_values }", "needs 'log_file:'");
  const config::Config config =
      parse("- { method: POST, path: /log-values, action: log_values, log_file: logs/daily.log }");
  EXPECT_EQ(validateEndpoint(config, 0, kindOf, true).path("log_file"), "/etc/p2j/logs/daily.log");
  const config::Config absolute =
      parse("- { method: POST, path: /log-values, action: log_values, log_file: /var/log/p2j/daily.log }");
  EXPECT_EQ(validateEndpoint(absolute, 0, kindOf, true).path("log_file"), "/var/log/p2j/daily.log");
}

TEST(ValueSettingsTest, PluginSettingsAreStillChecked) {
  expectError(
      "- { method: POST, path: /iterate, action: iterate, agent: criteria, evaluator: criteria, "
      "feedback: reviewer }",
      "needs an agent plugin");
  expectError("- { method: POST, path: /iterate, action: iterate, agent: rules, evaluator: criteria }", "feedback");
  expectError(
      "- { method: POST, path: /iterate, action: iterate, agent: rules, evaluator: criteria, "
      "feedback: criteria }",
      "needs a feedback plugin");
}

}  // namespace
}  // namespace p2j::endpoints
