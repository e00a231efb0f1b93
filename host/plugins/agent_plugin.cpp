#include "plugins/agent_plugin.hpp"

namespace p2j::plugins {

AgentPlugin::AgentPlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle)
    : PluginInstance(std::move(name), library, handle),
      generate_(library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_agent_generate_v1")),
      improve_(library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_agent_improve_v1")),
      actions_(library->function<p2j_status(p2j_instance, p2j_buffer*)>("p2j_agent_actions_v1")) {}

sdk::DesignSpec AgentPlugin::generate(std::string_view prompt) const {
  const std::string text = call(generate_, toAbi(prompt));
  try {
    return sdk::designSpecFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(), std::string("the agent returned a malformed spec: ") + e.what());
  }
}

}  // namespace p2j::plugins

namespace p2j::plugins {

sdk::Improvement AgentPlugin::improve(const sdk::ImproveRequest& request) const {
  const std::string request_json = sdk::serialize(request);
  const std::string text = call(improve_, toAbi(request_json));
  try {
    return sdk::improvementFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(), std::string("the agent returned a malformed improvement: ") + e.what());
  }
}

std::vector<sdk::ImprovementAction> AgentPlugin::actions() const {
  const std::string text = call(actions_);
  try {
    return sdk::improvementActionsFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(), std::string("the agent returned malformed actions: ") + e.what());
  }
}

}  // namespace p2j::plugins
