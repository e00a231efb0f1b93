#pragma once

#include "plugins/plugin_instance.hpp"

#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/improvement.hpp>

namespace p2j::plugins {

class AgentPlugin : public PluginInstance {
 public:
  AgentPlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle);

  // The spec the agent produced, checked against the typed shape (a malformed answer is a plugin bug:
  // PluginCallError with P2J_INTERNAL). Refusals come as PluginCallError with P2J_REFUSED.
  sdk::DesignSpec generate(std::string_view prompt) const;
  // REFUSED when the agent cannot improve; malformed answers are P2J_INTERNAL as for generate().
  sdk::Improvement improve(const sdk::ImproveRequest& request) const;
  std::vector<sdk::ImprovementAction> actions() const;

 private:
  decltype(&p2j_agent_generate_v1) generate_;
  decltype(&p2j_agent_improve_v1) improve_;
  decltype(&p2j_agent_actions_v1) actions_;
  // spec_generations_total{agent,success}; null when metrics are disabled.
  prometheus::Counter* generated_ = nullptr;
  prometheus::Counter* not_generated_ = nullptr;
};

}  // namespace p2j::plugins
