#include "pipelines/advanced_rl.hpp"

#include "pipelines/active_sessions.hpp"
#include "pipelines/records.hpp"
#include "pipelines/reinforce.hpp"

#include <p2j/sdk/uuid.hpp>

#include <map>
#include <memory>
#include <mutex>

namespace p2j::pipelines {
namespace {

constexpr double kMaxScore = 100;

std::mutex& designTypeMutex(const std::string& design_type) {
  static std::mutex registry_mutex;
  static std::map<std::string, std::unique_ptr<std::mutex>> registry;
  const std::lock_guard lock(registry_mutex);
  auto& entry = registry[design_type];
  if (!entry) entry = std::make_unique<std::mutex>();
  return *entry;
}

std::string storePolicy(const plugins::StoragePlugin& storage, const Policy& policy) {
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("design_type");
  sdk::writeString(writer, policy.design_type);
  writer.Key("weights");
  writer.StartObject();
  for (size_t i = 0; i < policy.actions.size(); ++i) {
    sdk::writeKey(writer, policy.actions[i]);
    writer.Double(policy.weights[i]);
  }
  writer.EndObject();
  writer.Key("baseline");
  writer.Double(policy.baseline);
  writer.Key("episodes");
  writer.Int64(policy.episodes);
  writer.EndObject();
  return storage.insert("policies", {buffer.GetString(), buffer.GetSize()}).id;
}

}  // namespace

Policy loadPolicy(const plugins::StoragePlugin& storage, const std::string& design_type,
                  const std::vector<sdk::ImprovementAction>& actions) {
  Policy policy;
  policy.design_type = design_type;
  for (const auto& action : actions) policy.actions.push_back(action.name);
  policy.weights.assign(actions.size(), 0.0);

  sdk::FindQuery query;
  query.where.emplace_back("design_type", design_type);
  query.descending = true;
  query.limit = 1;
  const rapidjson::Document rows = storage.find("policies", query);
  if (rows.Empty()) return policy;
  const rapidjson::Value& row = rows[0];
  policy.baseline = sdk::optionalNumber(row, "baseline", "policies").value_or(0);
  policy.episodes = sdk::optionalInteger(row, "episodes", "policies").value_or(0);
  if (const auto* weights = sdk::findMember(row, "weights"); weights != nullptr && weights->IsObject()) {
    for (size_t i = 0; i < policy.actions.size(); ++i) {
      if (const auto* weight = sdk::findMember(*weights, policy.actions[i]); weight != nullptr && weight->IsNumber()) {
        policy.weights[i] = weight->GetDouble();
      }
    }
  }
  return policy;
}

Episode runEpisode(const LoopPlugins& plugins, const std::vector<sdk::ImprovementAction>& actions,
                   std::string_view prompt, const LearnerSettings& settings) {
  const ActiveSession counted;
  Episode episode;
  episode.episode_id = sdk::randomUuid();

  sdk::DesignSpec spec = plugins.agent.generate(prompt);
  sdk::Evaluation evaluation = plugins.evaluator.evaluate(spec, prompt);
  std::string spec_json = sdk::serialize(spec);
  episode.design_type = spec.design_type;
  episode.initial_score = evaluation.score;

  IterationRecord record;
  record.session_id = episode.episode_id;
  record.pipeline = "advanced_rl";
  record.iteration_number = 1;
  record.prompt = prompt;
  record.design_type = episode.design_type;
  record.action = "generate";
  record.spec_after_json = spec_json;
  record.evaluation = evaluation;
  record.feedback = plugins.feedback.review({std::string(prompt), spec, evaluation});
  record.score_after = evaluation.score;
  storeIteration(plugins.storage, record);

  const std::lock_guard serialized(designTypeMutex(episode.design_type));
  episode.policy_before = loadPolicy(plugins.storage, episode.design_type, actions);
  const Policy& policy = episode.policy_before;
  const std::vector<double> probabilities = softmax(policy.weights);
  std::mt19937_64 generator = episodeGenerator(settings.seed, episode.design_type, policy.episodes);

  std::vector<PolicyStep> policy_steps;
  for (int step = 1; step <= settings.steps && evaluation.score < kMaxScore; ++step) {
    const size_t chosen = sampleIndex(probabilities, uniformUnit(generator));
    sdk::Improvement improvement =
        plugins.agent.improve({std::string(prompt), spec, evaluation, policy.actions[chosen]});
    sdk::Evaluation next = plugins.evaluator.evaluate(improvement.spec, prompt);

    EpisodeStep recorded;
    recorded.step = step;
    recorded.action = policy.actions[chosen];
    recorded.probability = probabilities[chosen];
    recorded.score_before = evaluation.score;
    recorded.score_after = next.score;
    recorded.reward = next.score - evaluation.score;
    recorded.advantage = recorded.reward - policy.baseline;
    recorded.changes = improvement.changes;
    recorded.evaluation = next;

    record.iteration_number = step + 1;
    record.action = recorded.action;
    record.spec_before_json = std::move(spec_json);
    spec = std::move(improvement.spec);
    spec_json = sdk::serialize(spec);
    record.spec_after_json = spec_json;
    record.evaluation = next;
    record.feedback = plugins.feedback.review({std::string(prompt), spec, next});
    record.changes = std::move(improvement.changes);
    record.score_before = recorded.score_before;
    record.score_after = recorded.score_after;
    record.reward = recorded.reward;
    recorded.iteration_id = storeIteration(plugins.storage, record);

    evaluation = std::move(next);
    episode.total_reward += recorded.reward;
    policy_steps.push_back({chosen, recorded.reward});
    episode.steps.push_back(std::move(recorded));
  }

  episode.final_score = evaluation.score;
  episode.final_spec_json = std::move(spec_json);
  episode.policy_after = policy;
  episode.policy_after.weights = reinforceUpdate(policy.weights, policy_steps, policy.baseline, settings.learning_rate);
  episode.policy_after.baseline = updateBaseline(policy.baseline, policy_steps, settings.baseline_rate);
  episode.policy_after.episodes = policy.episodes + 1;
  episode.policy_id = storePolicy(plugins.storage, episode.policy_after);
  return episode;
}

}  // namespace p2j::pipelines
