// An endpoint's plugin settings: required ones must be set, optional ones (generate's `fallback`) may be left
// out, and each names an instance of the right kind — and not the one another setting already names.
#include "endpoints/endpoint_table.hpp"

#include "plugins/plugin_catalog.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

namespace p2j::endpoints {
namespace {

std::optional<std::string> noEnvironment(const std::string&) { return std::nullopt; }

std::optional<p2j_plugin_kind> kindOf(const std::string& instance) {
  if (instance == "rules" || instance == "llm") return P2J_KIND_AGENT;
  if (instance == "criteria") return P2J_KIND_EVALUATOR;
  return std::nullopt;
}

config::Config parse(const std::string& endpoint_line) {
  return config::parseConfig(R"(plugins:
  rules: { use: agent-rules }
  llm: { use: agent-rules }
  criteria: { use: evaluator-criteria }
endpoints:
  )" + endpoint_line + "\n",
                             "test.yaml", "/etc/p2j", noEnvironment);
}

// The ConfigError the single endpoint (on line 6) is refused with.
std::string refusal(const std::string& endpoint_line) {
  const config::Config config = parse(endpoint_line);
  try {
    validateEndpoints(config, kindOf, true);
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(e.mark().line, 6) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "accepted " << endpoint_line;
  return "";
}

TEST(PluginSettingsTest, AFallbackAgentIsOptional) {
  EXPECT_NO_THROW(validateEndpoints(parse("- { method: POST, path: /g, action: generate, agent: llm }"), kindOf, true));
  EXPECT_NO_THROW(validateEndpoints(
      parse("- { method: POST, path: /g, action: generate, agent: llm, fallback: rules }"), kindOf, true));
}

TEST(PluginSettingsTest, TheFallbackIsCheckedLikeEveryReference) {
  EXPECT_NE(refusal("- { method: POST, path: /g, action: generate, agent: llm, fallback: rulez }")
                .find("fallback: no plugin instance named 'rulez'"),
            std::string::npos);
  EXPECT_NE(refusal("- { method: POST, path: /g, action: generate, agent: llm, fallback: criteria }")
                .find("'fallback' needs an agent plugin"),
            std::string::npos);
  EXPECT_NE(refusal("- { method: POST, path: /g, action: generate, agent: llm, fallback: llm }")
                .find("fallback: 'llm' is already this endpoint's agent"),
            std::string::npos);
  EXPECT_NE(refusal("- { method: POST, path: /g, action: generate, fallback: rules }").find("needs 'agent:'"),
            std::string::npos)
      << "a fallback does not replace the agent";
  EXPECT_NE(refusal("- { method: POST, path: /e, action: evaluate, evaluator: criteria, fallback: rules }")
                .find("unknown key 'fallback'"),
            std::string::npos)
      << "only generate takes a fallback";
}

TEST(PluginSettingsTest, AnOptionalSettingIsBoundOnlyWhenNamed) {
  const testing::TempDir dir;
  const config::Config config = config::parseConfig(R"(plugin_dirs: [")" + std::string(testing::kPluginDir) + R"("]
plugins:
  rules: { use: agent-rules }
  other: { use: agent-rules }
  db: { use: storage-sqlite, config: { path: ")" + (dir.path() / "p2j.db").string() +
                                                        R"(" } }
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules }
  - { method: POST, path: /v2/generate, action: generate, agent: other, fallback: rules }
)",
                                                    "test.yaml", dir.path(), noEnvironment);
  plugins::PluginCatalog catalog(config.plugin_dirs);
  const auto plugin_set = plugins::PluginSet::create(config, plugins::resolvePlugins(config, catalog));
  const observability::ServiceState state;
  const ActionContext context{config, *plugin_set, plugin_set->get<plugins::StoragePlugin>("db"),
                              state,  nullptr,     nullptr};
  const auto table = EndpointTable::bind(config, context);
  const EndpointBinding& plain = table->binding(table->router().match("POST", "/generate").endpoint);
  EXPECT_FALSE(plain.plugins.contains("fallback"));
  const EndpointBinding& v2 = table->binding(table->router().match("POST", "/v2/generate").endpoint);
  ASSERT_TRUE(v2.plugins.contains("fallback"));
  EXPECT_EQ(v2.plugins.at("fallback")->name(), "rules");
  EXPECT_EQ(v2.plugins.at("agent")->name(), "other");
}

}  // namespace
}  // namespace p2j::endpoints
