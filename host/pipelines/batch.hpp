// One /batch-evaluate item: generate, evaluate, commit. A prompt the agent refuses (or a spec the evaluator
// rejects) fails that item alone; anything else (storage down, a plugin bug) fails the whole request.
#pragma once

#include "pipelines/iterate.hpp"
#include "pipelines/records.hpp"

#include <string>
#include <string_view>

namespace p2j::pipelines {

struct BatchOutcome {
  bool ok = false;
  std::string spec_json;
  sdk::Evaluation evaluation;
  StoredReport stored;
  std::string error;    // the envelope's code when !ok, e.g. "prompt_refused"
  std::string message;  // the plugin's reason, fit for the client
};

BatchOutcome generateAndEvaluate(const PipelinePlugins& plugins, std::string_view agent_name,
                                 std::string_view evaluator_name, std::string_view prompt);

}  // namespace p2j::pipelines
