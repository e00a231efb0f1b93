// What the pipeline actions share: the agent, evaluator and storage an endpoint is wired to, and writing
// stored JSON text into an answer without parsing it again.
#pragma once

#include "endpoints/action.hpp"
#include "pipelines/iterate.hpp"

#include <p2j/sdk/json.hpp>

#include <memory>
#include <stdexcept>
#include <string>

namespace p2j::endpoints {

// Settings an action declares to get a PipelineBinding.
inline std::vector<PluginSetting> pipelinePluginSettings() {
  return {{"agent", P2J_KIND_AGENT}, {"evaluator", P2J_KIND_EVALUATOR}};
}

// Settings of the actions that run an improvement loop, which stores a review with every round.
inline std::vector<PluginSetting> loopPluginSettings() {
  auto settings = pipelinePluginSettings();
  settings.push_back({"feedback", P2J_KIND_FEEDBACK});
  return settings;
}

struct PipelineBinding {
  explicit PipelineBinding(const ActionSetup& setup)
      : agent_name(setup.endpoint.settings.at("agent").value),
        evaluator_name(setup.endpoint.settings.at("evaluator").value),
        agent(std::dynamic_pointer_cast<plugins::AgentPlugin>(setup.plugins.at("agent"))),
        evaluator(std::dynamic_pointer_cast<plugins::EvaluatorPlugin>(setup.plugins.at("evaluator"))),
        storage(setup.context.storage) {
    if (const auto it = setup.plugins.find("feedback"); it != setup.plugins.end()) {
      feedback_name = setup.endpoint.settings.at("feedback").value;
      feedback = std::dynamic_pointer_cast<plugins::FeedbackPlugin>(it->second);
    }
  }

  pipelines::PipelinePlugins plugins() const { return {*agent, *evaluator, *storage}; }
  // Only for actions that declare loopPluginSettings().
  pipelines::LoopPlugins loopPlugins() const {
    if (!feedback) throw std::logic_error("the action was not declared with a feedback plugin setting");
    return {{*agent, *evaluator, *storage}, *feedback};
  }

  std::string agent_name;
  std::string evaluator_name;
  std::string feedback_name;  // empty unless the action takes a feedback plugin
  std::shared_ptr<plugins::AgentPlugin> agent;
  std::shared_ptr<plugins::EvaluatorPlugin> evaluator;
  std::shared_ptr<plugins::FeedbackPlugin> feedback;
  std::shared_ptr<plugins::StoragePlugin> storage;
};

inline void writeRawJson(sdk::JsonWriter& writer, std::string_view json) {
  writer.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

// A stored record's member, or null when the storage left it out.
inline void writeMember(sdk::JsonWriter& writer, const rapidjson::Value& record, const char* key) {
  const auto it = record.FindMember(key);
  if (it == record.MemberEnd()) {
    writer.Null();
  } else {
    it->value.Accept(writer);
  }
}

inline double numberMember(const rapidjson::Value& record, const char* key) {
  const auto it = record.FindMember(key);
  return it != record.MemberEnd() && it->value.IsNumber() ? it->value.GetDouble() : 0;
}

inline http::Response jsonAnswer(const rapidjson::StringBuffer& body) {
  return http::jsonResponse({body.GetString(), body.GetSize()});
}

}  // namespace p2j::endpoints
