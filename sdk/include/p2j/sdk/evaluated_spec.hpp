// The members an agent's improve() and a feedback plugin's review() both receive: the prompt, the spec and
// how it was evaluated, as {"prompt", "spec", "evaluation"} inside their request objects.
#pragma once

#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/evaluation.hpp>

#include <string>

namespace p2j::sdk {

// Writes the three members into an object the caller has started.
inline void writeEvaluatedSpecMembers(JsonWriter& w, const std::string& prompt, const DesignSpec& spec,
                                      const Evaluation& evaluation) {
  w.Key("prompt");
  writeString(w, prompt);
  w.Key("spec");
  writeJson(w, spec);
  w.Key("evaluation");
  writeJson(w, evaluation);
}

// Reads them from a request object; "prompt" may be absent (empty), "spec" and "evaluation" may not.
inline void readEvaluatedSpecMembers(const rapidjson::Value& request, std::string& prompt, DesignSpec& spec,
                                     Evaluation& evaluation) {
  requireObject(request, "request");
  prompt = optionalString(request, "prompt", "").value_or("");
  const auto* spec_value = findMember(request, "spec");
  if (spec_value == nullptr) throw FieldError("spec", "is required");
  spec = designSpecFromJson(*spec_value, "spec");
  const auto* evaluation_value = findMember(request, "evaluation");
  if (evaluation_value == nullptr) throw FieldError("evaluation", "is required");
  evaluation = evaluationFromJson(*evaluation_value, "evaluation");
}

}  // namespace p2j::sdk
