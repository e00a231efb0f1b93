// The result of scoring a design spec, with its JSON mapping (the original's EvaluationResult shape,
// with the feasibility that was actually computed).
#pragma once

#include <p2j/sdk/finding.hpp>
#include <p2j/sdk/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace p2j::sdk {

struct Evaluation {
  double score = 0;  // 0..100, the weighted total
  double completeness = 0;
  double format_validity = 0;
  double feasibility = 0;
  std::vector<std::string> feedback;
  std::vector<std::string> suggestions;
  std::string timestamp;  // UTC ISO 8601
  // The evaluator's letter for the score on its own scale (A-F), when it has one: the host cannot derive
  // it, because the boundaries are the evaluator's config.
  std::optional<std::string> grade;
  // What the evaluator found, one finding per problem (since ABI 1.2). nullopt: the evaluator does not report
  // findings (it was built against an older SDK, or chooses not to); empty: it found nothing.
  std::optional<std::vector<Finding>> findings;

  bool operator==(const Evaluation&) const = default;
};

inline void writeJson(JsonWriter& w, const Evaluation& e) {
  w.StartObject();
  w.Key("score");
  w.Double(e.score);
  w.Key("completeness");
  w.Double(e.completeness);
  w.Key("format_validity");
  w.Double(e.format_validity);
  w.Key("feasibility");
  w.Double(e.feasibility);
  w.Key("feedback");
  writeStringList(w, e.feedback);
  w.Key("suggestions");
  writeStringList(w, e.suggestions);
  w.Key("timestamp");
  writeString(w, e.timestamp);
  if (e.grade) {
    w.Key("grade");
    writeString(w, *e.grade);
  }
  if (e.findings) {
    w.Key("findings");
    w.StartArray();
    for (const auto& finding : *e.findings) writeJson(w, finding);
    w.EndArray();
  }
  w.EndObject();
}

inline double requireScore(const rapidjson::Value& object, std::string_view key, std::string_view path) {
  const auto value = optionalNumber(object, key, path);
  if (!value) throw FieldError(joinPath(path, key), "is required");
  if (*value < 0 || *value > 100) throw FieldError(joinPath(path, key), "must be between 0 and 100");
  return *value;
}

inline Evaluation evaluationFromJson(const rapidjson::Value& value, std::string_view path = "") {
  requireObject(value, path.empty() ? std::string_view("evaluation") : path);
  Evaluation e;
  e.score = requireScore(value, "score", path);
  e.completeness = requireScore(value, "completeness", path);
  e.format_validity = requireScore(value, "format_validity", path);
  e.feasibility = requireScore(value, "feasibility", path);
  e.feedback = optionalStringList(value, "feedback", path);
  e.suggestions = optionalStringList(value, "suggestions", path);
  e.timestamp = optionalString(value, "timestamp", path).value_or("");
  e.grade = optionalString(value, "grade", path);
  if (const auto* findings = findMember(value, "findings")) {
    const std::string findings_path = joinPath(path, "findings");
    if (!findings->IsArray()) throw FieldError(findings_path, "must be an array");
    e.findings.emplace();
    for (rapidjson::SizeType i = 0; i < findings->Size(); ++i) {
      e.findings->push_back(findingFromJson((*findings)[i], indexPath(findings_path, i)));
    }
  }
  return e;
}

}  // namespace p2j::sdk
