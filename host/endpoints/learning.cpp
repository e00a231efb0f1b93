// POST /advanced-rl {"prompt", "n_iter" = 3} -> one REINFORCE episode: {"success", "prompt", "episode_id",
//   "design_type", "steps", "actions_chosen", "rewards", "initial_score", "final_score", "total_reward",
//   "final_spec", "policy", "message"}
// POST /feedback {"spec_id", "rating" 1-5, "comment"?} -> {"success", "feedback_id", "spec_id", "rating", "message"}
#include "endpoints/json_body.hpp"
#include "endpoints/pipeline_binding.hpp"
#include "http/http_error.hpp"
#include "pipelines/advanced_rl.hpp"
#include "pipelines/reinforce.hpp"

namespace p2j::endpoints {
namespace {

constexpr int64_t kDefaultSteps = 3;
constexpr size_t kMaxCommentBytes = 4000;

void writeProbabilities(sdk::JsonWriter& writer, const pipelines::Policy& policy) {
  const std::vector<double> probabilities = pipelines::softmax(policy.weights);
  writer.StartObject();
  for (size_t i = 0; i < policy.actions.size(); ++i) {
    sdk::writeKey(writer, policy.actions[i]);
    writer.Double(probabilities[i]);
  }
  writer.EndObject();
}

class AdvancedRlAction : public Action {
 public:
  explicit AdvancedRlAction(const ActionSetup& setup)
      : pipeline_(setup),
        max_steps_(setup.settings.integer("max_steps")),
        settings_{.learning_rate = setup.settings.number("learning_rate"),
                  .baseline_rate = setup.settings.number("baseline_rate"),
                  .seed = static_cast<uint64_t>(setup.settings.integer("seed"))} {}

  http::Response handle(http::Request& request) const override {
    const std::string prompt = requirePrompt(request.json);
    pipelines::LearnerSettings settings = settings_;
    settings.steps =
        static_cast<int>(optionalInteger(request.json, "n_iter", std::min(kDefaultSteps, max_steps_), 1, max_steps_));
    const auto actions = pipeline_.agent->actions();
    if (actions.empty()) {
      throw http::HttpError(
          501, "not_implemented",
          "agent instance '" + pipeline_.agent_name + "' offers no improvement actions to learn over");
    }
    const pipelines::Episode episode = pipelines::runEpisode(pipeline_.loopPlugins(), actions, prompt, settings);

    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("success");
    writer.Bool(true);
    writer.Key("prompt");
    sdk::writeString(writer, prompt);
    writer.Key("episode_id");
    sdk::writeString(writer, episode.episode_id);
    writer.Key("design_type");
    sdk::writeString(writer, episode.design_type);
    writer.Key("steps");
    writer.StartArray();
    for (const auto& step : episode.steps) {
      writer.StartObject();
      writer.Key("step");
      writer.Int(step.step);
      writer.Key("action");
      sdk::writeString(writer, step.action);
      writer.Key("probability");
      writer.Double(step.probability);
      writer.Key("reward");
      writer.Double(step.reward);
      writer.Key("advantage");
      writer.Double(step.advantage);
      writer.Key("score_before");
      writer.Double(step.score_before);
      writer.Key("score_after");
      writer.Double(step.score_after);
      writer.Key("changes");
      sdk::writeStringList(writer, step.changes);
      writer.Key("iteration_id");
      sdk::writeString(writer, step.iteration_id);
      writer.Key("evaluation");
      writeJson(writer, step.evaluation);
      writer.EndObject();
    }
    writer.EndArray();
    writer.Key("actions_chosen");
    writer.StartArray();
    for (const auto& step : episode.steps) sdk::writeString(writer, step.action);
    writer.EndArray();
    writer.Key("rewards");
    writer.StartArray();
    for (const auto& step : episode.steps) writer.Double(step.reward);
    writer.EndArray();
    writer.Key("initial_score");
    writer.Double(episode.initial_score);
    writer.Key("final_score");
    writer.Double(episode.final_score);
    writer.Key("total_reward");
    writer.Double(episode.total_reward);
    writer.Key("final_spec");
    writeRawJson(writer, episode.final_spec_json);
    writer.Key("policy");
    writePolicy(writer, episode);
    writer.Key("message");
    writer.String("Advanced RL training completed");
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  void writePolicy(sdk::JsonWriter& writer, const pipelines::Episode& episode) const {
    const pipelines::Policy& after = episode.policy_after;
    writer.StartObject();
    writer.Key("algorithm");
    writer.String("REINFORCE");
    writer.Key("policy_id");
    sdk::writeString(writer, episode.policy_id);
    writer.Key("design_type");
    sdk::writeString(writer, after.design_type);
    writer.Key("episodes");
    writer.Int64(after.episodes);
    writer.Key("learning_rate");
    writer.Double(settings_.learning_rate);
    writer.Key("baseline");
    writer.Double(after.baseline);
    writer.Key("probabilities");
    writeProbabilities(writer, after);
    writer.Key("probabilities_before");
    writeProbabilities(writer, episode.policy_before);
    writer.Key("weights");
    writer.StartObject();
    for (size_t i = 0; i < after.actions.size(); ++i) {
      sdk::writeKey(writer, after.actions[i]);
      writer.Double(after.weights[i]);
    }
    writer.EndObject();
    writer.EndObject();
  }

  PipelineBinding pipeline_;
  int64_t max_steps_;
  pipelines::LearnerSettings settings_;
};

class FeedbackAction : public Action {
 public:
  explicit FeedbackAction(const ActionSetup& setup) : storage_(setup.context.storage) {}

  http::Response handle(http::Request& request) const override {
    const std::string spec_id = requireText(request.json, "spec_id", 64);
    if (sdk::findMember(request.json, "rating") == nullptr) throw http::unprocessable("rating: is required", "rating");
    const int64_t rating = optionalInteger(request.json, "rating", 0, 1, 5);
    const bool has_comment = sdk::findMember(request.json, "comment") != nullptr;
    const std::string comment = has_comment ? requireText(request.json, "comment", kMaxCommentBytes) : "";
    if (!storage_->get("specs", spec_id)) throw http::notFound("no specification with id '" + spec_id + "'");

    rapidjson::StringBuffer record;
    sdk::JsonWriter record_writer(record);
    record_writer.StartObject();
    record_writer.Key("spec_id");
    sdk::writeString(record_writer, spec_id);
    record_writer.Key("rating");
    record_writer.Int64(rating);
    if (has_comment) {
      record_writer.Key("comment");
      sdk::writeString(record_writer, comment);
    }
    record_writer.EndObject();
    const plugins::StoredId stored = storage_->insert("feedback", {record.GetString(), record.GetSize()});

    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("success");
    writer.Bool(true);
    writer.Key("feedback_id");
    sdk::writeString(writer, stored.id);
    writer.Key("spec_id");
    sdk::writeString(writer, spec_id);
    writer.Key("rating");
    writer.Int64(rating);
    writer.Key("message");
    writer.String("Feedback recorded");
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  std::shared_ptr<plugins::StoragePlugin> storage_;
};

constexpr std::string_view kEpisodeRequest = R"json({
  "type": "object",
  "required": ["prompt"],
  "properties": {
    "prompt": {"type": "string", "maxLength": 10000},
    "n_iter": {"type": ["integer", "string", "null"], "minimum": 1, "pattern": "^[0-9]+$",
               "description": "Steps, 1 to the endpoint's max_steps (default 3); a string of digits is read too"}
  }
})json";

constexpr std::string_view kEpisodeAnswer = R"json({
  "type": "object",
  "required": ["success", "prompt", "episode_id", "design_type", "steps", "actions_chosen", "rewards", "initial_score",
               "final_score", "total_reward", "final_spec", "policy", "message"],
  "additionalProperties": false,
  "properties": {
    "success": {"const": true},
    "prompt": {"type": "string"},
    "episode_id": {"type": "string"},
    "design_type": {"type": "string"},
    "steps": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["step", "action", "probability", "reward", "advantage", "score_before", "score_after", "changes",
                     "iteration_id", "evaluation"],
        "additionalProperties": false,
        "properties": {
          "step": {"type": "integer", "minimum": 1},
          "action": {"type": "string"},
          "probability": {"type": "number", "minimum": 0, "maximum": 1},
          "reward": {"type": "number"},
          "advantage": {"type": "number"},
          "score_before": {"type": "number"},
          "score_after": {"type": "number"},
          "changes": {"type": "array", "items": {"type": "string"}},
          "iteration_id": {"type": "string"},
          "evaluation": {"$ref": "#/components/schemas/Evaluation"}
        }
      }
    },
    "actions_chosen": {"type": "array", "items": {"type": "string"}},
    "rewards": {"type": "array", "items": {"type": "number"}},
    "initial_score": {"type": "number"},
    "final_score": {"type": "number"},
    "total_reward": {"type": "number"},
    "final_spec": {"$ref": "#/components/schemas/DesignSpec"},
    "policy": {
      "type": "object",
      "required": ["algorithm", "policy_id", "design_type", "episodes", "learning_rate", "baseline", "probabilities",
                   "probabilities_before", "weights"],
      "additionalProperties": false,
      "properties": {
        "algorithm": {"const": "REINFORCE"},
        "policy_id": {"type": "string"},
        "design_type": {"type": "string"},
        "episodes": {"type": "integer", "minimum": 0},
        "learning_rate": {"type": "number"},
        "baseline": {"type": "number"},
        "probabilities": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
        "probabilities_before": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
        "weights": {"type": "object", "additionalProperties": {"type": "number"}}
      }
    },
    "message": {"type": "string"}
  }
})json";

constexpr std::string_view kFeedbackRequest = R"json({
  "type": "object",
  "required": ["spec_id", "rating"],
  "properties": {
    "spec_id": {"type": "string", "maxLength": 64},
    "rating": {"type": ["integer", "string"], "minimum": 1, "maximum": 5, "pattern": "^[1-5]$",
               "description": "1 to 5; a string of digits is read too"},
    "comment": {"type": ["string", "null"], "maxLength": 4000}
  }
})json";

constexpr std::string_view kFeedbackAnswer = R"json({
  "type": "object",
  "required": ["success", "feedback_id", "spec_id", "rating", "message"],
  "additionalProperties": false,
  "properties": {
    "success": {"const": true},
    "feedback_id": {"type": "string", "minLength": 1},
    "spec_id": {"type": "string"},
    "rating": {"type": "integer", "minimum": 1, "maximum": 5},
    "message": {"type": "string"}
  }
})json";

}  // namespace

std::vector<ActionDescriptor> learningActions() {
  return {
      {.name = "advanced_rl",
       .summary = "One REINFORCE episode over the agent's improvement actions; the policy is stored per design type",
       .takes_json_body = true,
       .needs_storage = true,
       .plugin_settings = loopPluginSettings(),
       .value_settings = {{"max_steps", ValueSetting::Kind::kInteger, 1, 50, "10"},
                          {"learning_rate", ValueSetting::Kind::kNumber, 0.0001, 10, "0.05"},
                          {"baseline_rate", ValueSetting::Kind::kNumber, 0, 1, "0.1"},
                          {"seed", ValueSetting::Kind::kInteger, 0, 9007199254740991.0, "1"}},
       .api = {.tag = "Improvement",
               .request_schema = kEpisodeRequest,
               .request_example = R"json({"prompt": "Design a 3-story house with wood", "n_iter": 3})json",
               .responses = {{200, "The episode and the updated policy, both stored", kEpisodeAnswer},
                             {422, "The agent refused the prompt, or n_iter is out of range"},
                             {501, "The agent offers no improvement actions to learn over"}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<AdvancedRlAction>(setup); }},
      {.name = "feedback",
       .summary = "Store a user's rating (1-5) and comment on a stored spec",
       .takes_json_body = true,
       .needs_storage = true,
       .api = {.tag = "Feedback",
               .request_schema = kFeedbackRequest,
               .request_example =
                   R"json({"spec_id": "the spec_id /generate answered", "rating": 5, "comment": "Useful"})json",
               .responses = {{200, "The feedback, stored", kFeedbackAnswer}, {404, "No spec with this spec_id"}}},
       .make = [](const ActionSetup& setup) { return std::make_unique<FeedbackAction>(setup); }},
  };
}

}  // namespace p2j::endpoints
