#pragma once

#include "plugins/plugin_instance.hpp"

#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/evaluation.hpp>

namespace p2j::plugins {

class EvaluatorPlugin : public PluginInstance {
 public:
  EvaluatorPlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle);

  sdk::Evaluation evaluate(const sdk::DesignSpec& spec, std::string_view prompt) const;
  // The same for a spec already written as the SDK writes a DesignSpec (sdk::serialize or
  // AgentPlugin::generateJson), so that a caller that keeps that text does not have it written twice.
  sdk::Evaluation evaluate(std::string_view spec_json, std::string_view prompt) const;

 private:
  decltype(&p2j_evaluator_evaluate_v1) evaluate_;
  prometheus::Histogram* scores_ = nullptr;  // evaluation_scores{evaluator}; null when metrics are disabled
};

}  // namespace p2j::plugins
