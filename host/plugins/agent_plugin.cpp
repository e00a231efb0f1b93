#include "plugins/agent_plugin.hpp"

namespace p2j::plugins {

AgentPlugin::AgentPlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle)
    : PluginInstance(std::move(name), library, handle),
      generate_(library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_agent_generate_v1")),
      improve_(library->function<p2j_status(p2j_instance, p2j_str, p2j_buffer*)>("p2j_agent_improve_v1")),
      actions_(library->function<p2j_status(p2j_instance, p2j_buffer*)>("p2j_agent_actions_v1")) {
  if (observability::metrics().enabled()) {
    auto& generations = observability::metrics().counter(
        "spec_generations_total", "Prompts an agent was asked to design, by whether it produced a spec");
    generated_ = &generations.Add({{"agent", this->name()}, {"success", "true"}});
    not_generated_ = &generations.Add({{"agent", this->name()}, {"success", "false"}});
  }
}

sdk::DesignSpec AgentPlugin::generate(std::string_view prompt) const {
  try {
    const std::string text = call(generate_, toAbi(prompt));
    sdk::DesignSpec spec;
    try {
      spec = sdk::designSpecFromJson(sdk::parseJson(text));
    } catch (const std::exception& e) {
      throw PluginCallError(P2J_INTERNAL, name(), std::string("the agent returned a malformed spec: ") + e.what());
    }
    if (generated_ != nullptr) generated_->Increment();
    return spec;
  } catch (const PluginCallError&) {
    if (not_generated_ != nullptr) not_generated_->Increment();
    throw;
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
