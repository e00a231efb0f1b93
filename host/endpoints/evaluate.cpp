// POST /evaluate {"spec", "prompt"} -> {"report_id", "spec_id", "evaluation", "grade", "success", "message"}
// GET /reports/{id} -> {"success", "report": {"report_id", "prompt", "grade", "spec", "evaluation"}}
// POST /batch-evaluate ["prompt", ...] -> {"success", "results", "count", "succeeded", "failed", "message"}
//
// The spec a client posts is read as the typed DesignSpec (a wrong field is a 422 naming its path) and
// scored as it is: no conversion to the original's legacy building schema.
#include "endpoints/json_body.hpp"
#include "endpoints/legacy_spec.hpp"
#include "endpoints/pipeline_binding.hpp"
#include "http/http_error.hpp"
#include "pipelines/batch.hpp"
#include "pipelines/records.hpp"

#include <p2j/sdk/design_spec.hpp>

namespace p2j::endpoints {
namespace {

// The `specs` source of a spec a client posted rather than an agent generated.
constexpr std::string_view kClientSource = "client";

class EvaluateAction : public Action {
 public:
  explicit EvaluateAction(const ActionSetup& setup)
      : evaluator_name_(setup.endpoint.settings.at("evaluator").value),
        evaluator_(std::dynamic_pointer_cast<plugins::EvaluatorPlugin>(setup.plugins.at("evaluator"))),
        storage_(setup.context.storage) {}

  http::Response handle(http::Request& request) const override {
    const std::string prompt = requirePrompt(request.json);
    const auto* spec_value = sdk::findMember(request.json, "spec");
    if (spec_value == nullptr) throw http::unprocessable("spec: is required", "spec");
    // Written once, as the evaluator reads it and the storage keeps it.
    const std::string spec_json = sdk::serialize(sdk::designSpecFromJson(universalSpec(*spec_value), "spec"));
    const sdk::Evaluation evaluation = evaluator_->evaluate(std::string_view(spec_json), prompt);
    const pipelines::StoredReport stored =
        pipelines::storeReport(*storage_, prompt, spec_json, kClientSource, evaluation, evaluator_name_);

    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("report_id");
    sdk::writeString(writer, stored.report_id);
    writer.Key("spec_id");
    sdk::writeString(writer, stored.spec_id);
    writer.Key("evaluation");
    writeJson(writer, evaluation);
    writer.Key("grade");
    sdk::writeString(writer, pipelines::reportGrade(evaluation));
    writer.Key("success");
    writer.Bool(true);
    writer.Key("message");
    writer.String("Evaluation completed successfully");
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  std::string evaluator_name_;
  std::shared_ptr<plugins::EvaluatorPlugin> evaluator_;
  std::shared_ptr<plugins::StoragePlugin> storage_;
};

class GetReportAction : public Action {
 public:
  explicit GetReportAction(const ActionSetup& setup) : storage_(setup.context.storage) {}

  http::Response handle(http::Request& request) const override {
    const std::string& id = request.parameters.at("id");
    const auto stored = storage_->get("evaluations", id);
    if (!stored) throw http::notFound("no report with id '" + id.substr(0, 64) + "'");
    const rapidjson::Document row = sdk::parseJson(*stored);
    if (!row.IsObject()) throw std::runtime_error("the storage returned a report that is not an object");

    // The original's report shape: spec {id, prompt, spec_data, created_at} and evaluation {id, eval_data,
    // score, created_at}; both were made by the one /evaluate call, so they share its time.
    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("success");
    writer.Bool(true);
    writer.Key("report");
    writer.StartObject();
    writer.Key("report_id");
    writeMember(writer, row, "id");
    writer.Key("prompt");
    writeMember(writer, row, "prompt");
    writer.Key("grade");
    writeMember(writer, row, "grade");
    writer.Key("spec");
    writer.StartObject();
    writer.Key("id");
    writeMember(writer, row, "spec_id");
    writer.Key("prompt");
    writeMember(writer, row, "prompt");
    writer.Key("spec_data");
    writeMember(writer, row, "spec");
    writer.Key("created_at");
    writeMember(writer, row, "created_at");
    writer.EndObject();
    writer.Key("evaluation");
    writer.StartObject();
    writer.Key("id");
    writeMember(writer, row, "id");
    writer.Key("eval_data");
    writeMember(writer, row, "evaluation");
    writer.Key("score");
    writeMember(writer, row, "score");
    writer.Key("evaluator");
    writeMember(writer, row, "evaluator");
    writer.Key("created_at");
    writeMember(writer, row, "created_at");
    writer.EndObject();
    writer.EndObject();
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  std::shared_ptr<plugins::StoragePlugin> storage_;
};

class BatchEvaluateAction : public Action {
 public:
  explicit BatchEvaluateAction(const ActionSetup& setup)
      : pipeline_(setup), max_batch_(setup.settings.integer("max_batch")) {}

  http::Response handle(http::Request& request) const override {
    const rapidjson::Value& prompts = request.json;
    if (!prompts.IsArray()) throw http::unprocessable("the request body must be a JSON array of prompt strings");
    if (static_cast<int64_t>(prompts.Size()) > max_batch_) {
      throw http::HttpError(413, "payload_too_large",
                            "a batch holds at most " + std::to_string(max_batch_) + " prompts; this one has " +
                                std::to_string(prompts.Size()) + ": split it");
    }

    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("results");
    writer.StartArray();
    size_t failed = 0;
    for (rapidjson::SizeType i = 0; i < prompts.Size(); ++i) {
      const rapidjson::Value& item = prompts[i];
      writer.StartObject();
      writer.Key("prompt");
      // Echoed only when it is text a client can read back.
      if (item.IsString() && sdk::isStorableText({item.GetString(), item.GetStringLength()})) {
        writer.String(item.GetString(), item.GetStringLength());
      } else {
        writer.Null();
      }
      pipelines::BatchOutcome outcome;
      if (!item.IsString()) {
        outcome.error = "validation_error";
        outcome.message = "[" + std::to_string(i) + "]: must be a string";
      } else if (const auto problem = promptProblem({item.GetString(), item.GetStringLength()})) {
        outcome.error = "validation_error";
        outcome.message = "[" + std::to_string(i) + "]: " + *problem;
      } else {
        outcome = pipelines::generateAndEvaluate(pipeline_.plugins(), pipeline_.agent_name, pipeline_.evaluator_name,
                                                 {item.GetString(), item.GetStringLength()});
      }
      writer.Key("success");
      writer.Bool(outcome.ok);
      if (outcome.ok) {
        writer.Key("spec");
        writeRawJson(writer, outcome.spec_json);
        writer.Key("evaluation");
        writeJson(writer, outcome.evaluation);
        writer.Key("spec_id");
        sdk::writeString(writer, outcome.stored.spec_id);
        writer.Key("report_id");
        sdk::writeString(writer, outcome.stored.report_id);
      } else {
        ++failed;
        writer.Key("error");
        writer.StartObject();
        writer.Key("error");
        sdk::writeString(writer, outcome.error);
        writer.Key("message");
        sdk::writeString(writer, outcome.message);
        writer.Key("status_code");
        writer.Int(422);
        writer.EndObject();
      }
      writer.EndObject();
    }
    writer.EndArray();
    const size_t count = prompts.Size();
    writer.Key("count");
    writer.Uint64(count);
    writer.Key("succeeded");
    writer.Uint64(count - failed);
    writer.Key("failed");
    writer.Uint64(failed);
    writer.Key("success");
    writer.Bool(failed == 0);
    writer.Key("message");
    sdk::writeString(writer, "Batch processed " + std::to_string(count) + " prompts" +
                                 (failed == 0 ? "" : " (" + std::to_string(failed) + " failed)"));
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  PipelineBinding pipeline_;
  int64_t max_batch_;
};

constexpr std::string_view kEvaluateRequest = R"json({
  "type": "object",
  "required": ["spec", "prompt"],
  "properties": {
    "spec": {"anyOf": [{"$ref": "#/components/schemas/DesignSpec"},
                       {"type": "object", "description": "The original's legacy building spec (building_type, string materials)"}]},
    "prompt": {"type": "string", "maxLength": 10000}
  }
})json";

constexpr std::string_view kEvaluateExample = R"json({
  "prompt": "Design a 3-story house with wood",
  "spec": {"design_type": "building", "category": "residential", "stories": 3,
           "materials": [{"type": "wood", "grade": null, "properties": {}}],
           "dimensions": {"length": 12, "width": 10, "height": 9, "depth": null, "diameter": null, "area": 120,
                          "volume": null, "weight": null, "units": "metric"},
           "performance": {"power": null, "efficiency": null, "capacity": null, "speed": null, "other_specs": {}},
           "features": ["garden"], "components": [], "requirements": [], "constraints": [], "use_cases": [],
           "target_audience": null, "estimated_cost": null, "timeline": null, "timestamp": "2025-01-01T00:00:00Z"}
})json";

constexpr std::string_view kEvaluateAnswer = R"json({
  "type": "object",
  "required": ["report_id", "spec_id", "evaluation", "grade", "success", "message"],
  "additionalProperties": false,
  "properties": {
    "report_id": {"type": "string", "minLength": 1},
    "spec_id": {"type": "string", "minLength": 1},
    "evaluation": {"$ref": "#/components/schemas/Evaluation"},
    "grade": {"type": "string", "minLength": 1},
    "success": {"const": true},
    "message": {"type": "string"}
  }
})json";

constexpr std::string_view kReportAnswer = R"json({
  "type": "object",
  "required": ["success", "report"],
  "additionalProperties": false,
  "properties": {
    "success": {"const": true},
    "report": {
      "type": "object",
      "required": ["report_id", "prompt", "grade", "spec", "evaluation"],
      "additionalProperties": false,
      "properties": {
        "report_id": {"type": "string"},
        "prompt": {"type": "string"},
        "grade": {"type": ["string", "null"]},
        "spec": {
          "type": "object",
          "required": ["id", "prompt", "spec_data", "created_at"],
          "additionalProperties": false,
          "properties": {
            "id": {"type": "string"},
            "prompt": {"type": "string"},
            "spec_data": {"type": "object",
                          "description": "The spec as it was posted to /evaluate, read as a DesignSpec: what the client left out has its default, and nothing else is checked (agents' specs are DesignSpecs)"},
            "created_at": {"type": "string"}
          }
        },
        "evaluation": {
          "type": "object",
          "required": ["id", "eval_data", "score", "evaluator", "created_at"],
          "additionalProperties": false,
          "properties": {
            "id": {"type": "string"},
            "eval_data": {"$ref": "#/components/schemas/Evaluation"},
            "score": {"type": "number"},
            "evaluator": {"type": "string"},
            "created_at": {"type": "string"}
          }
        }
      }
    }
  }
})json";

constexpr std::string_view kBatchRequest = R"json({
  "type": "array",
  "description": "Prompts, at most the endpoint's max_batch (413 beyond); an item that is not a usable prompt fails alone",
  "items": {"type": "string", "maxLength": 10000}
})json";

constexpr std::string_view kBatchAnswer = R"json({
  "type": "object",
  "required": ["results", "count", "succeeded", "failed", "success", "message"],
  "additionalProperties": false,
  "properties": {
    "results": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["prompt", "success"],
        "additionalProperties": false,
        "properties": {
          "prompt": {"type": ["string", "null"], "description": "The item, or null when it was not readable text"},
          "success": {"type": "boolean"},
          "spec": {"$ref": "#/components/schemas/DesignSpec"},
          "evaluation": {"$ref": "#/components/schemas/Evaluation"},
          "spec_id": {"type": "string"},
          "report_id": {"type": "string"},
          "error": {
            "type": "object",
            "required": ["error", "message", "status_code"],
            "additionalProperties": false,
            "properties": {"error": {"type": "string"}, "message": {"type": "string"}, "status_code": {"type": "integer"}}
          }
        }
      }
    },
    "count": {"type": "integer", "minimum": 0},
    "succeeded": {"type": "integer", "minimum": 0},
    "failed": {"type": "integer", "minimum": 0},
    "success": {"type": "boolean", "description": "Every item succeeded"},
    "message": {"type": "string"}
  }
})json";

}  // namespace

std::vector<ActionDescriptor> evaluateActions() {
  return {
      {.name = "evaluate",
       .summary = "Score a posted design spec and store the report",
       .takes_json_body = true,
       .needs_storage = true,
       .plugin_settings = {{"evaluator", P2J_KIND_EVALUATOR}},
       .api = {.tag = "Evaluation",
               .request_schema = kEvaluateRequest,
               .request_example = kEvaluateExample,
               .responses = {{200, "The evaluation, stored with the spec as a report", kEvaluateAnswer},
                             {422,
                              "The spec does not read as a design spec (`field` names the path, e.g. spec.stories)"}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<EvaluateAction>(setup); }},
      {.name = "get_report",
       .summary = "Fetch a stored evaluation report by id",
       .needs_storage = true,
       .path_parameters = {"id"},
       .api = {.tag = "Evaluation",
               .responses = {{200, "The stored report", kReportAnswer}, {404, "No report with this id"}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<GetReportAction>(setup); }},
      {.name = "batch_evaluate",
       .summary = "Generate and evaluate each prompt of a JSON array; a refused prompt fails only its item",
       .takes_json_body = true,
       .needs_storage = true,
       .plugin_settings = pipelinePluginSettings(),
       .value_settings = {{"max_batch", ValueSetting::Kind::kInteger, 1, 1000, "20"}},
       .api = {.tag = "Evaluation",
               .request_schema = kBatchRequest,
               .request_example = R"json(["Design a 3-story house with wood", "Design an electric car"])json",
               .responses = {{200, "One result per prompt, in order", kBatchAnswer},
                             {413, "More prompts than the endpoint's max_batch"},
                             {422, "The body is not a JSON array"}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<BatchEvaluateAction>(setup); }},
  };
}

}  // namespace p2j::endpoints
