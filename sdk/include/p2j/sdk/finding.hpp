// What an evaluator found, in a form a program can act on (since ABI 1.2): which check, about which field of
// the spec, how serious, and what would answer it. Agents act on findings, never on the wording of
// `message`, which is for people and may be reworded or translated at any time.
#pragma once

#include <p2j/sdk/json.hpp>

#include <string>
#include <string_view>

namespace p2j::sdk {

// How much a finding weighs: an error makes the spec wrong (malformed), a warning incomplete or doubtful,
// info is a remark. The scale is fixed for every ABI 1.x.
enum class Severity { kInfo, kWarning, kError };

// The words of Finding::action. An agent acts on the words it knows and skips any other, so an evaluator may
// use a word added by a newer SDK without breaking older agents.
namespace finding_action {
inline constexpr std::string_view kAdd = "add";          // the field is missing or empty: give it a value
inline constexpr std::string_view kSpecify = "specify";  // the value is too generic: name something specific
inline constexpr std::string_view kCorrect = "correct";  // the value is malformed or out of range: fix it
inline constexpr std::string_view kReview = "review";    // the value is valid but may not be feasible: rethink it
}  // namespace finding_action

struct Finding {
  std::string criterion;  // the evaluator's own stable id of the check, e.g. "completeness.features"
  // The spec field it is about, as a path into the spec's JSON ("features", "dimensions.height",
  // "materials[0].type"); empty when it is about the spec as a whole.
  std::string field;
  Severity severity = Severity::kWarning;
  std::string action;   // a finding_action word
  std::string message;  // for people; the same text the evaluation lists in `feedback`

  bool operator==(const Finding&) const = default;
};

// Whether `field` is `name` or lies inside it: "dimensions.height" and "dimensions" are in "dimensions",
// "materials[0].type" is in "materials", "dimensionsx" is not.
inline bool fieldWithin(std::string_view field, std::string_view name) {
  if (field.substr(0, name.size()) != name) return false;
  return field.size() == name.size() || field[name.size()] == '.' || field[name.size()] == '[';
}

inline std::string_view severityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "warning";
}

inline void writeJson(JsonWriter& w, const Finding& finding) {
  w.StartObject();
  w.Key("criterion");
  writeString(w, finding.criterion);
  w.Key("field");
  writeString(w, finding.field);
  w.Key("severity");
  writeString(w, severityName(finding.severity));
  w.Key("action");
  writeString(w, finding.action);
  w.Key("message");
  writeString(w, finding.message);
  w.EndObject();
}

inline Finding findingFromJson(const rapidjson::Value& value, std::string_view path) {
  requireObject(value, path);
  Finding finding;
  finding.criterion = requireString(value, "criterion", path);
  if (finding.criterion.empty()) throw FieldError(joinPath(path, "criterion"), "must not be empty");
  finding.field = optionalString(value, "field", path).value_or("");
  const std::string severity = requireString(value, "severity", path);
  if (severity == "info") {
    finding.severity = Severity::kInfo;
  } else if (severity == "warning") {
    finding.severity = Severity::kWarning;
  } else if (severity == "error") {
    finding.severity = Severity::kError;
  } else {
    throw FieldError(joinPath(path, "severity"), "must be \"info\", \"warning\" or \"error\"");
  }
  finding.action = requireString(value, "action", path);
  if (finding.action.empty()) throw FieldError(joinPath(path, "action"), "must not be empty");
  finding.message = optionalString(value, "message", path).value_or("");
  return finding;
}

}  // namespace p2j::sdk
