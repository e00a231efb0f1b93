// evaluator-criteria as the server sees it: the real .so, its config checked against the plugin's own
// schema, then created and called through the host's EvaluatorPlugin proxy.
#pragma once

#include "plugins/config_schema.hpp"
#include "plugins/evaluator_plugin.hpp"
#include "plugins/plugin_catalog.hpp"
#include "test_paths.hpp"

#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/json.hpp>

#include <memory>
#include <string>

namespace p2j::evaluator_criteria {

inline std::shared_ptr<plugins::PluginLibrary> criteriaLibrary() {
  static plugins::PluginCatalog catalog({p2j::testing::kPluginDir});
  return catalog.find("evaluator-criteria");
}

// Throws plugins::SchemaViolation when the schema refuses `config`, plugins::PluginLoadError when create() does.
inline std::unique_ptr<plugins::EvaluatorPlugin> openEvaluator(const std::string& config = "{}") {
  const auto library = criteriaLibrary();
  const std::string validated = plugins::validatePluginConfig(library->info().config_schema_json, config, "/");
  return std::make_unique<plugins::EvaluatorPlugin>("criteria", library,
                                                    plugins::createInstance(*library, "criteria", validated));
}

inline sdk::DesignSpec specFromJson(const std::string& json) { return sdk::designSpecFromJson(sdk::parseJson(json)); }

}  // namespace p2j::evaluator_criteria
