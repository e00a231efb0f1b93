// What a feedback plugin's review() takes and gives, with the JSON mapping. A review is advice for people
// about a spec and its evaluation; the improvement pipelines (/iterate, /advanced-rl,
// /coordinated-improvement) report one with every round they store.
#pragma once

#include <p2j/sdk/evaluated_spec.hpp>

#include <string>
#include <vector>

namespace p2j::sdk {

struct FeedbackRequest {
  std::string prompt;
  DesignSpec spec;
  Evaluation evaluation;
};

// The original service's FeedbackResult keys.
struct FeedbackReport {
  std::string feedback_type;  // e.g. "heuristic"
  std::vector<std::string> suggestions;
  double confidence = 0;  // 0..1
  std::string source;     // e.g. "rule_based"

  bool operator==(const FeedbackReport&) const = default;
};

inline void writeJson(JsonWriter& w, const FeedbackRequest& request) {
  w.StartObject();
  writeEvaluatedSpecMembers(w, request.prompt, request.spec, request.evaluation);
  w.EndObject();
}

inline FeedbackRequest feedbackRequestFromJson(const rapidjson::Value& value) {
  FeedbackRequest request;
  readEvaluatedSpecMembers(value, request.prompt, request.spec, request.evaluation);
  return request;
}

inline void writeJson(JsonWriter& w, const FeedbackReport& report) {
  w.StartObject();
  w.Key("feedback_type");
  writeString(w, report.feedback_type);
  w.Key("suggestions");
  writeStringList(w, report.suggestions);
  w.Key("confidence");
  w.Double(report.confidence);
  w.Key("source");
  writeString(w, report.source);
  w.EndObject();
}

inline FeedbackReport feedbackReportFromJson(const rapidjson::Value& value) {
  requireObject(value, "feedback");
  FeedbackReport report;
  report.feedback_type = requireString(value, "feedback_type", "");
  report.suggestions = optionalStringList(value, "suggestions", "");
  const auto confidence = optionalNumber(value, "confidence", "");
  if (!confidence) throw FieldError("confidence", "is required");
  if (*confidence < 0 || *confidence > 1) throw FieldError("confidence", "must be between 0 and 1");
  report.confidence = *confidence;
  report.source = requireString(value, "source", "");
  return report;
}

}  // namespace p2j::sdk
