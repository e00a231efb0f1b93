// POST /iterate {"prompt", "n_iter" = 3} -> the session: {"success", "session_id", "prompt", "total_iterations",
//   "iterations": [{"iteration_number", "iteration_id", "before", "after", "evaluation", "feedback", "reward",
//   "improvement", ...}], "final_spec", "learning_insights", "message", ...}
// GET /iterations/{session_id} -> {"success", "session_id", "total_iterations", "iterations"}
// POST /coordinated-improvement {"prompt"} -> {"success", "result": {...}, "message"}
#include "endpoints/json_body.hpp"
#include "endpoints/pipeline_binding.hpp"
#include "http/http_error.hpp"
#include "pipelines/coordinate.hpp"
#include "pipelines/learning_insights.hpp"

#include <p2j/sdk/time.hpp>

namespace p2j::endpoints {
namespace {

// The original's n_iter default.
constexpr int64_t kDefaultIterations = 3;

void writeRound(sdk::JsonWriter& writer, const pipelines::Round& round) {
  writer.StartObject();
  writer.Key("iteration_number");
  writer.Int(round.iteration_number);
  writer.Key("iteration_id");
  sdk::writeString(writer, round.iteration_id);
  writer.Key("action");
  sdk::writeString(writer, round.action);
  writer.Key("before");
  writer.StartObject();
  writer.Key("spec");
  if (round.spec_before_json) {
    writeRawJson(writer, *round.spec_before_json);
  } else {
    writer.Null();
  }
  writer.Key("score");
  writer.Double(round.score_before);
  writer.EndObject();
  writer.Key("after");
  writer.StartObject();
  writer.Key("spec");
  writeRawJson(writer, round.spec_json);
  writer.Key("score");
  writer.Double(round.score_after);
  writer.EndObject();
  writer.Key("evaluation");
  writeJson(writer, round.evaluation);
  writer.Key("feedback");
  writeJson(writer, round.feedback);
  writer.Key("changes");
  sdk::writeStringList(writer, round.changes);
  writer.Key("reward");
  writer.Double(round.reward);
  writer.Key("improvement");
  writer.Double(round.improvement);
  writer.EndObject();
}

class IterateAction : public Action {
 public:
  explicit IterateAction(const ActionSetup& setup)
      : pipeline_(setup),
        max_iterations_(setup.settings.integer("max_iterations")),
        target_score_(setup.settings.number("target_score")) {}

  http::Response handle(http::Request& request) const override {
    const std::string prompt = requirePrompt(request.json);
    const int64_t n_iter =
        optionalInteger(request.json, "n_iter", std::min(kDefaultIterations, max_iterations_), 1, max_iterations_);
    const pipelines::Session session =
        pipelines::runImprovementLoop(pipeline_.loopPlugins(), "iterate", prompt,
                                      {.budget = static_cast<int>(n_iter), .target_score = target_score_});

    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("success");
    writer.Bool(true);
    writer.Key("session_id");
    sdk::writeString(writer, session.session_id);
    writer.Key("prompt");
    sdk::writeString(writer, prompt);
    writer.Key("total_iterations");
    writer.Uint64(session.rounds.size());
    writer.Key("iterations");
    writer.StartArray();
    for (const auto& round : session.rounds) writeRound(writer, round);
    writer.EndArray();
    writer.Key("final_spec");
    writeRawJson(writer, session.result().spec_json);
    writer.Key("final_score");
    writer.Double(session.result().score_after);
    writer.Key("stop_reason");
    sdk::writeString(writer, pipelines::stopReasonName(session.stop_reason));
    writer.Key("learning_insights");
    pipelines::writeLearningInsights(writer, *pipeline_.storage, session.design_type);
    writer.Key("message");
    sdk::writeString(writer, "RL training completed with " + std::to_string(session.rounds.size()) + " iterations");
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  PipelineBinding pipeline_;
  int64_t max_iterations_;
  double target_score_;
};

class GetIterationsAction : public Action {
 public:
  explicit GetIterationsAction(const ActionSetup& setup) : storage_(setup.context.storage) {}

  http::Response handle(http::Request& request) const override {
    const std::string& session_id = request.parameters.at("session_id");
    sdk::FindQuery query;
    query.where.emplace_back("session_id", session_id);
    query.limit = sdk::FindQuery::kMaxLimit;
    const rapidjson::Document rows = storage_->find("iterations", query);
    if (rows.Empty()) throw http::notFound("no iterations for session '" + session_id.substr(0, 64) + "'");

    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("success");
    writer.Bool(true);
    writer.Key("session_id");
    sdk::writeString(writer, session_id);
    writer.Key("total_iterations");
    writer.Uint(rows.Size());
    writer.Key("iterations");
    writer.StartArray();
    for (const auto& row : rows.GetArray()) writeStoredRound(writer, row);
    writer.EndArray();
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  // The original's iteration log entry ({session_id, iteration, prompt, spec_before, spec_after, evaluation,
  // feedback, score_before, score_after, reward, timestamp}) plus the row's id and what the round did.
  static void writeStoredRound(sdk::JsonWriter& writer, const rapidjson::Value& row) {
    writer.StartObject();
    writer.Key("iteration_id");
    writeMember(writer, row, "id");
    for (const char* key : {"session_id", "pipeline"}) {
      sdk::writeKey(writer, key);
      writeMember(writer, row, key);
    }
    writer.Key("iteration");
    writeMember(writer, row, "iteration_number");
    for (const char* key : {"iteration_number", "prompt", "action", "spec_before", "spec_after", "evaluation",
                            "feedback", "changes", "score_before", "score_after", "reward"}) {
      sdk::writeKey(writer, key);
      writeMember(writer, row, key);
    }
    writer.Key("improvement");
    writer.Double(pipelines::roundImprovement(static_cast<int>(numberMember(row, "iteration_number")),
                                              numberMember(row, "score_after"), numberMember(row, "score_before")));
    writer.Key("timestamp");
    writeMember(writer, row, "created_at");
    writer.EndObject();
  }

  std::shared_ptr<plugins::StoragePlugin> storage_;
};

class CoordinatedImprovementAction : public Action {
 public:
  explicit CoordinatedImprovementAction(const ActionSetup& setup)
      : pipeline_(setup),
        target_score_(setup.settings.number("target_score")),
        max_rounds_(setup.settings.integer("max_rounds")) {}

  http::Response handle(http::Request& request) const override {
    const std::string prompt = requirePrompt(request.json);
    const pipelines::Coordination result =
        pipelines::coordinateImprovement(pipeline_.loopPlugins(), prompt, target_score_, static_cast<int>(max_rounds_));
    const auto& rounds = result.session.rounds;

    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    // As in the original: the request succeeded; whether the target was reached is result.success.
    writer.Key("success");
    writer.Bool(true);
    writer.Key("result");
    writer.StartObject();
    writer.Key("success");
    writer.Bool(result.target_reached);
    writer.Key("agents_used");
    std::vector<std::string> agents{pipeline_.agent_name, pipeline_.evaluator_name, pipeline_.feedback_name};
    if (rounds.size() > 1) agents.emplace_back("improvement_loop");
    sdk::writeStringList(writer, agents);
    writer.Key("iterations");
    writer.Uint64(rounds.size() - 1);
    writer.Key("session_id");
    sdk::writeString(writer, result.session.session_id);
    writer.Key("initial_score");
    writer.Double(rounds.front().score_after);
    writer.Key("final_score");
    writer.Double(result.session.result().score_after);
    writer.Key("target_score");
    writer.Double(target_score_);
    writer.Key("final_spec");
    writeRawJson(writer, result.session.result().spec_json);
    writer.Key("improvements");
    sdk::writeStringList(writer, result.improvements);
    writer.Key("stop_reason");
    sdk::writeString(writer, pipelines::stopReasonName(result.session.stop_reason));
    writer.Key("coordination_time");
    writer.Double(result.seconds);
    writer.Key("timestamp");
    sdk::writeString(writer, sdk::utcNow());
    writer.EndObject();
    writer.Key("message");
    writer.String(result.target_reached ? "Coordinated improvement reached the target score"
                                        : "Coordinated improvement stopped below the target score");
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  PipelineBinding pipeline_;
  double target_score_;
  int64_t max_rounds_;
};

constexpr std::string_view kLoopRequest = R"json({
  "type": "object",
  "required": ["prompt"],
  "properties": {
    "prompt": {"type": "string", "maxLength": 10000},
    "n_iter": {"type": ["integer", "string", "null"], "minimum": 1, "pattern": "^[0-9]+$",
               "description": "Rounds, 1 to the endpoint's max_iterations (default 3); a string of digits is read too"}
  }
})json";

constexpr std::string_view kSessionAnswer = R"json({
  "type": "object",
  "required": ["success", "session_id", "prompt", "total_iterations", "iterations", "final_spec", "final_score",
               "stop_reason", "learning_insights", "message"],
  "additionalProperties": false,
  "properties": {
    "success": {"const": true},
    "session_id": {"type": "string", "minLength": 1},
    "prompt": {"type": "string"},
    "total_iterations": {"type": "integer", "minimum": 1},
    "iterations": {
      "type": "array",
      "minItems": 1,
      "items": {
        "type": "object",
        "required": ["iteration_number", "iteration_id", "action", "before", "after", "evaluation", "feedback",
                     "changes", "reward", "improvement"],
        "additionalProperties": false,
        "properties": {
          "iteration_number": {"type": "integer", "minimum": 1},
          "iteration_id": {"type": "string"},
          "action": {"type": "string", "description": "What the round did: generate, or the agent's improvement"},
          "before": {"type": "object", "required": ["spec", "score"], "additionalProperties": false,
                     "properties": {"spec": {"anyOf": [{"$ref": "#/components/schemas/DesignSpec"}, {"type": "null"}]},
                                    "score": {"type": "number"}}},
          "after": {"type": "object", "required": ["spec", "score"], "additionalProperties": false,
                    "properties": {"spec": {"$ref": "#/components/schemas/DesignSpec"}, "score": {"type": "number"}}},
          "evaluation": {"$ref": "#/components/schemas/Evaluation"},
          "feedback": {"$ref": "#/components/schemas/FeedbackReport"},
          "changes": {"type": "array", "items": {"type": "string"}},
          "reward": {"type": "number"},
          "improvement": {"type": "number"}
        }
      }
    },
    "final_spec": {"$ref": "#/components/schemas/DesignSpec"},
    "final_score": {"type": "number"},
    "stop_reason": {"enum": ["budget", "target_reached", "no_gain", "nothing_to_change"]},
    "learning_insights": {"type": "object", "description": "What the stored rounds of this design type and the users' feedback show"},
    "message": {"type": "string"}
  }
})json";

// writeStoredRound: the original's iteration log entry plus the row's id and what the round did.
constexpr std::string_view kStoredRoundsAnswer = R"json({
  "type": "object",
  "required": ["success", "session_id", "total_iterations", "iterations"],
  "additionalProperties": false,
  "properties": {
    "success": {"const": true},
    "session_id": {"type": "string"},
    "total_iterations": {"type": "integer", "minimum": 1},
    "iterations": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["iteration_id", "session_id", "pipeline", "iteration", "iteration_number", "prompt", "action",
                     "spec_before", "spec_after", "evaluation", "feedback", "changes", "score_before", "score_after",
                     "reward", "improvement", "timestamp"],
        "additionalProperties": false,
        "properties": {
          "iteration_id": {"type": "string"},
          "session_id": {"type": "string"},
          "pipeline": {"type": "string", "description": "iterate, coordinated_improvement or advanced_rl"},
          "iteration": {"type": "integer"},
          "iteration_number": {"type": "integer"},
          "prompt": {"type": "string"},
          "action": {"type": "string"},
          "spec_before": {"anyOf": [{"$ref": "#/components/schemas/DesignSpec"}, {"type": "null"}]},
          "spec_after": {"$ref": "#/components/schemas/DesignSpec"},
          "evaluation": {"$ref": "#/components/schemas/Evaluation"},
          "feedback": {"$ref": "#/components/schemas/FeedbackReport"},
          "changes": {"type": "array", "items": {"type": "string"}},
          "score_before": {"type": "number"},
          "score_after": {"type": "number"},
          "reward": {"type": "number"},
          "improvement": {"type": "number"},
          "timestamp": {"type": "string"}
        }
      }
    }
  }
})json";

constexpr std::string_view kCoordinationRequest = R"json({
  "type": "object",
  "required": ["prompt"],
  "properties": {"prompt": {"type": "string", "maxLength": 10000}}
})json";

constexpr std::string_view kCoordinationAnswer = R"json({
  "type": "object",
  "required": ["success", "result", "message"],
  "additionalProperties": false,
  "properties": {
    "success": {"const": true, "description": "The request ran (as in the original); result.success says whether the target was reached"},
    "result": {
      "type": "object",
      "required": ["success", "agents_used", "iterations", "session_id", "initial_score", "final_score", "target_score",
                   "final_spec", "improvements", "stop_reason", "coordination_time", "timestamp"],
      "additionalProperties": false,
      "properties": {
        "success": {"type": "boolean"},
        "agents_used": {"type": "array", "items": {"type": "string"}},
        "iterations": {"type": "integer", "minimum": 0, "description": "Improvement rounds after the first design"},
        "session_id": {"type": "string"},
        "initial_score": {"type": "number"},
        "final_score": {"type": "number"},
        "target_score": {"type": "number"},
        "final_spec": {"$ref": "#/components/schemas/DesignSpec"},
        "improvements": {"type": "array", "items": {"type": "string"}},
        "stop_reason": {"enum": ["budget", "target_reached", "no_gain", "nothing_to_change"]},
        "coordination_time": {"type": "number", "minimum": 0, "description": "Seconds"},
        "timestamp": {"type": "string"}
      }
    },
    "message": {"type": "string"}
  }
})json";

}  // namespace

std::vector<ActionDescriptor> iterateActions() {
  return {
      {.name = "iterate",
       .summary = "Generate, evaluate and improve a spec in rounds; every round is stored",
       .takes_json_body = true,
       .needs_storage = true,
       .plugin_settings = loopPluginSettings(),
       .value_settings = {{"max_iterations", ValueSetting::Kind::kInteger, 1, 100, "10"},
                          {"target_score", ValueSetting::Kind::kNumber, 0, 100, "100"}},
       .api = {.tag = "Improvement",
               .request_schema = kLoopRequest,
               .request_example = R"json({"prompt": "Design a 3-story house with wood", "n_iter": 3})json",
               .responses = {{200, "The session: every round, stored", kSessionAnswer},
                             {422, "The agent refused the prompt, or n_iter is out of range"}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<IterateAction>(setup); }},
      {.name = "get_iterations",
       .summary = "The stored rounds of an /iterate, coordination or RL session",
       .needs_storage = true,
       .path_parameters = {"session_id"},
       .api = {.tag = "Improvement",
               .responses = {{200, "The stored rounds, oldest first", kStoredRoundsAnswer},
                             {404, "No rounds for this session"}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<GetIterationsAction>(setup); }},
      {.name = "coordinated_improvement",
       .summary = "Generate, evaluate and improve until the target score or the round budget",
       .takes_json_body = true,
       .needs_storage = true,
       .plugin_settings = loopPluginSettings(),
       .value_settings = {{"target_score", ValueSetting::Kind::kNumber, 0, 100, "90"},
                          {"max_rounds", ValueSetting::Kind::kInteger, 1, 50, "5"}},
       .api = {.tag = "Improvement",
               .request_schema = kCoordinationRequest,
               .request_example = R"json({"prompt": "Design a 3-story house with wood"})json",
               .responses = {{200, "The coordination's result; every round is stored", kCoordinationAnswer},
                             {422, "The agent refused the prompt"}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<CoordinatedImprovementAction>(setup); }},
  };
}

}  // namespace p2j::endpoints
