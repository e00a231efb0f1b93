// The endpoint table binds each endpoint of the config once: route, action, the plugin instances and typed
// settings it was made from, and its policy, all in one object the dispatcher finds by the router's index.
#include "endpoints/endpoint_table.hpp"

#include "plugins/plugin_catalog.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

namespace p2j::endpoints {
namespace {

std::optional<std::string> noEnvironment(const std::string&) { return std::nullopt; }

TEST(EndpointTableTest, BindsEachEndpointWithItsPluginsSettingsAndPolicy) {
  const testing::TempDir dir;
  const config::Config config = config::parseConfig(R"(rate_limits: { default: 7/minute }
plugin_dirs: [")" + std::string(testing::kPluginDir) + R"("]
plugins:
  criteria: { use: evaluator-criteria }
  db: { use: storage-sqlite, config: { path: ")" + (dir.path() / "p2j.db").string() +
                                                        R"(" } }
storage: db
endpoints:
  - { method: GET, path: /health, action: health }
  - { method: POST, path: /evaluate, action: evaluate, evaluator: criteria, rate_limit: 3/second }
  - { method: POST, path: /log-values, action: log_values, log_file: logs/values.log }
)",
                                                    "test.yaml", dir.path(), noEnvironment);
  plugins::PluginCatalog catalog(config.plugin_dirs);
  const auto plugin_set = plugins::PluginSet::create(config, plugins::resolvePlugins(config, catalog));
  const observability::ServiceState state;
  const ActionContext context{config, *plugin_set, plugin_set->get<plugins::StoragePlugin>("db"),
                              state,  nullptr,     nullptr};
  const auto table = EndpointTable::bind(config, context);

  ASSERT_EQ(table->bindings().size(), 3u);
  const auto match = table->router().match("POST", "/evaluate");
  ASSERT_EQ(match.outcome, http::RouteMatch::Outcome::kFound);
  const EndpointBinding& evaluate = table->binding(match.endpoint);
  EXPECT_EQ(evaluate.path, "/evaluate");
  EXPECT_EQ(evaluate.descriptor->name, "evaluate");
  ASSERT_TRUE(evaluate.plugins.contains("evaluator"));
  EXPECT_EQ(evaluate.plugins.at("evaluator")->name(), "criteria");
  ASSERT_TRUE(evaluate.policy.rate_limit);
  EXPECT_EQ(evaluate.policy.rate_limit->text, "3/second");
  EXPECT_TRUE(evaluate.policy.auth.empty());
  ASSERT_NE(evaluate.action, nullptr);

  const EndpointBinding& health = table->binding(table->router().match("GET", "/health").endpoint);
  EXPECT_EQ(health.descriptor->name, "health");
  EXPECT_FALSE(health.policy.rate_limit) << "health probes are never rate limited";

  const EndpointBinding& log_values = table->binding(table->router().match("POST", "/log-values").endpoint);
  EXPECT_EQ(log_values.settings.path("log_file"), dir.path() / "logs/values.log");
  ASSERT_TRUE(log_values.policy.rate_limit);
  EXPECT_EQ(log_values.policy.rate_limit->text, "7/minute");
}

}  // namespace
}  // namespace p2j::endpoints
