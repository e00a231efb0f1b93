// What an agent's improve() takes and gives, with the JSON mapping.
#pragma once

#include <p2j/sdk/evaluated_spec.hpp>

#include <optional>
#include <string>
#include <vector>

namespace p2j::sdk {

struct ImproveRequest {
  std::string prompt;
  DesignSpec spec;
  Evaluation evaluation;
  std::optional<std::string> action;  // one of the agent's actions(), or all feedback when empty
};

struct Improvement {
  DesignSpec spec;
  std::vector<std::string> changes;  // what was changed, for people

  bool operator==(const Improvement&) const = default;
};

struct ImprovementAction {
  std::string name;
  std::string description;
};

inline void writeJson(JsonWriter& w, const ImproveRequest& request) {
  w.StartObject();
  writeEvaluatedSpecMembers(w, request.prompt, request.spec, request.evaluation);
  if (request.action) {
    w.Key("action");
    writeString(w, *request.action);
  }
  w.EndObject();
}

inline ImproveRequest improveRequestFromJson(const rapidjson::Value& value) {
  ImproveRequest request;
  readEvaluatedSpecMembers(value, request.prompt, request.spec, request.evaluation);
  request.action = optionalString(value, "action", "");
  return request;
}

inline void writeJson(JsonWriter& w, const Improvement& improvement) {
  w.StartObject();
  w.Key("spec");
  writeJson(w, improvement.spec);
  w.Key("changes");
  writeStringList(w, improvement.changes);
  w.EndObject();
}

inline Improvement improvementFromJson(const rapidjson::Value& value) {
  requireObject(value, "improvement");
  Improvement improvement;
  const auto* spec = findMember(value, "spec");
  if (spec == nullptr) throw FieldError("spec", "is required");
  improvement.spec = designSpecFromJson(*spec, "spec");
  improvement.changes = optionalStringList(value, "changes", "");
  return improvement;
}

inline void writeJson(JsonWriter& w, const std::vector<ImprovementAction>& actions) {
  w.StartArray();
  for (const auto& action : actions) {
    w.StartObject();
    w.Key("name");
    writeString(w, action.name);
    w.Key("description");
    writeString(w, action.description);
    w.EndObject();
  }
  w.EndArray();
}

inline std::vector<ImprovementAction> improvementActionsFromJson(const rapidjson::Value& value) {
  if (!value.IsArray()) throw FieldError("", "actions must be an array");
  std::vector<ImprovementAction> actions;
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    const std::string path = indexPath("", i);
    requireObject(value[i], path);
    actions.push_back(
        {requireString(value[i], "name", path), optionalString(value[i], "description", path).value_or("")});
  }
  return actions;
}

}  // namespace p2j::sdk
