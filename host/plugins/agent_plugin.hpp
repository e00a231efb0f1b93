#pragma once

#include "plugins/plugin_instance.hpp"

#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/improvement.hpp>

namespace p2j::plugins {

class AgentPlugin : public PluginInstance {
 public:
  AgentPlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle);

  // The spec the agent produced as the SDK writes a DesignSpec, the text the host answers, caches and stores.
  // A plugin built against ABI 1.4 or newer writes it so itself and its text is only checked to be one JSON
  // object; an older one's spec is read as a DesignSpec and written again. A malformed answer is a plugin
  // bug (PluginCallError with P2J_INTERNAL); refusals come as PluginCallError with P2J_REFUSED.
  std::string generateJson(std::string_view prompt) const;
  // The same spec, typed (checked against the typed shape whatever the plugin's ABI).
  sdk::DesignSpec generate(std::string_view prompt) const;
  // REFUSED when the agent cannot improve; malformed answers are P2J_INTERNAL as for generate().
  sdk::Improvement improve(const sdk::ImproveRequest& request) const;
  std::vector<sdk::ImprovementAction> actions() const;

 private:
  // Calls the plugin and has `read` check its text, counting the outcome in spec_generations_total.
  template <typename Read>
  auto designed(std::string_view prompt, Read read) const;

  decltype(&p2j_agent_generate_v2) generate_;  // p2j_agent_generate_v1 for plugins built against ABI 1.0 to 1.3
  bool writes_canonical_specs_ = false;        // generate_ is p2j_agent_generate_v2
  decltype(&p2j_agent_improve_v1) improve_;
  decltype(&p2j_agent_actions_v1) actions_;
  // spec_generations_total{agent,success}; null when metrics are disabled.
  prometheus::Counter* generated_ = nullptr;
  prometheus::Counter* not_generated_ = nullptr;
};

}  // namespace p2j::plugins
