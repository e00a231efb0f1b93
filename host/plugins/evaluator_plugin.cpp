#include "plugins/evaluator_plugin.hpp"

namespace p2j::plugins {

EvaluatorPlugin::EvaluatorPlugin(std::string name, std::shared_ptr<PluginLibrary> library, p2j_instance handle)
    : PluginInstance(std::move(name), library, handle),
      evaluate_(
          library->function<p2j_status(p2j_instance, p2j_str, p2j_str, p2j_buffer*)>("p2j_evaluator_evaluate_v1")) {
  if (observability::metrics().enabled()) {
    scores_ = &observability::metrics()
                   .histogram("evaluation_scores", "Scores (0-100) the evaluators gave")
                   .Add({{"evaluator", this->name()}}, observability::scoreBuckets());
  }
}

sdk::Evaluation EvaluatorPlugin::evaluate(const sdk::DesignSpec& spec, std::string_view prompt) const {
  return evaluate(std::string_view(sdk::serialize(spec)), prompt);
}

sdk::Evaluation EvaluatorPlugin::evaluate(std::string_view spec_json, std::string_view prompt) const {
  const std::string text = call(evaluate_, toAbi(spec_json), toAbi(prompt));
  sdk::Evaluation evaluation;
  try {
    evaluation = sdk::evaluationFromJson(sdk::parseJson(text));
  } catch (const std::exception& e) {
    throw PluginCallError(P2J_INTERNAL, name(), std::string("the evaluator returned a malformed result: ") + e.what());
  }
  if (scores_ != nullptr) scores_->Observe(evaluation.score);
  return evaluation;
}

}  // namespace p2j::plugins
