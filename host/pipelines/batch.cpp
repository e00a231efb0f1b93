#include "pipelines/batch.hpp"

namespace p2j::pipelines {

BatchOutcome generateAndEvaluate(const PipelinePlugins& plugins, std::string_view agent_name,
                                 std::string_view evaluator_name, std::string_view prompt) {
  BatchOutcome outcome;
  try {
    outcome.spec_json = plugins.agent.generateJson(prompt);
    outcome.evaluation = plugins.evaluator.evaluate(std::string_view(outcome.spec_json), prompt);
  } catch (const plugins::PluginCallError& e) {
    if (e.status() == P2J_REFUSED) {
      outcome.error = "prompt_refused";
    } else if (e.status() == P2J_INVALID_INPUT) {
      outcome.error = "validation_error";
    } else {
      throw;
    }
    outcome.message = e.what();
    return outcome;
  }
  outcome.stored =
      storeReport(plugins.storage, prompt, outcome.spec_json, agent_name, outcome.evaluation, evaluator_name);
  outcome.ok = true;
  return outcome;
}

}  // namespace p2j::pipelines
