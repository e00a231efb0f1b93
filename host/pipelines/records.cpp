#include "pipelines/records.hpp"

#include <p2j/sdk/collections.hpp>
#include <p2j/sdk/json.hpp>

#include <array>

namespace p2j::pipelines {

std::string reportGrade(const sdk::Evaluation& evaluation) {
  if (evaluation.grade) return *evaluation.grade;
  const double score = evaluation.score;
  if (score >= 90) return "A";
  if (score >= 80) return "B";
  if (score >= 70) return "C";
  if (score >= 60) return "D";
  return "F";
}

namespace {

void writeRaw(sdk::JsonWriter& writer, std::string_view json) {
  writer.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

std::string_view text(const rapidjson::StringBuffer& buffer) { return {buffer.GetString(), buffer.GetSize()}; }

// A `specs` record as fields: the spec's text goes to the storage as it is, not inside a record for it to
// parse again.
std::array<p2j_record_field, 3> specFields(std::string_view prompt, std::string_view spec_json,
                                           std::string_view source) {
  return {sdk::recordField("prompt", prompt, P2J_FIELD_TEXT), sdk::recordField("spec", spec_json, P2J_FIELD_JSON),
          sdk::recordField("agent", source, P2J_FIELD_TEXT)};
}

}  // namespace

std::string storeSpec(const plugins::StoragePlugin& storage, std::string_view prompt, std::string_view spec_json,
                      std::string_view source) {
  return storage.insert("specs", specFields(prompt, spec_json, source)).id;
}

StoredReport storeReport(const plugins::StoragePlugin& storage, std::string_view prompt, std::string_view spec_json,
                         std::string_view spec_source, const sdk::Evaluation& evaluation, std::string_view evaluator) {
  rapidjson::StringBuffer evaluation_json;
  sdk::JsonWriter evaluation_writer(evaluation_json);
  writeJson(evaluation_writer, evaluation);
  rapidjson::StringBuffer score;
  sdk::JsonWriter score_writer(score);
  score_writer.Double(evaluation.score);
  const std::string grade = reportGrade(evaluation);
  const auto spec = specFields(prompt, spec_json, spec_source);
  // The report names the spec stored beside it: record 0 of the batch.
  const p2j_record_field report[] = {sdk::recordField("spec_id", "0", P2J_FIELD_RECORD_ID),
                                     sdk::recordField("prompt", prompt, P2J_FIELD_TEXT),
                                     sdk::recordField("evaluator", evaluator, P2J_FIELD_TEXT),
                                     sdk::recordField("spec", spec_json, P2J_FIELD_JSON),
                                     sdk::recordField("evaluation", text(evaluation_json), P2J_FIELD_JSON),
                                     sdk::recordField("score", text(score), P2J_FIELD_NUMBER),
                                     sdk::recordField("grade", grade, P2J_FIELD_TEXT)};
  // One transaction: the report is never stored without its spec, nor the spec left without its report.
  const sdk::RecordOfBatch records[] = {{"specs", spec}, {"evaluations", report}};
  const std::vector<plugins::StoredId> stored = storage.insertAll(records);
  return {stored.at(0).id, stored.at(1).id};
}

std::string storeIteration(const plugins::StoragePlugin& storage, const IterationRecord& record) {
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("session_id");
  sdk::writeString(writer, record.session_id);
  writer.Key("pipeline");
  sdk::writeString(writer, record.pipeline);
  writer.Key("iteration_number");
  writer.Int(record.iteration_number);
  writer.Key("prompt");
  sdk::writeString(writer, record.prompt);
  writer.Key("design_type");
  sdk::writeString(writer, record.design_type);
  writer.Key("action");
  sdk::writeString(writer, record.action);
  if (record.spec_before_json) {
    writer.Key("spec_before");
    writeRaw(writer, *record.spec_before_json);
  }
  writer.Key("spec_after");
  writeRaw(writer, record.spec_after_json);
  writer.Key("evaluation");
  writeJson(writer, record.evaluation);
  writer.Key("feedback");
  writeJson(writer, record.feedback);
  writer.Key("changes");
  sdk::writeStringList(writer, record.changes);
  writer.Key("score_before");
  writer.Double(record.score_before);
  writer.Key("score_after");
  writer.Double(record.score_after);
  writer.Key("reward");
  writer.Double(record.reward);
  writer.EndObject();
  return storage.insert("iterations", text(buffer)).id;
}

}  // namespace p2j::pipelines
