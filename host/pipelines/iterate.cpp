#include "pipelines/iterate.hpp"

#include "pipelines/active_sessions.hpp"
#include "pipelines/records.hpp"

#include <p2j/sdk/uuid.hpp>

namespace p2j::pipelines {

bool specChanged(const sdk::DesignSpec& before, const sdk::DesignSpec& after) {
  sdk::DesignSpec comparable = after;
  comparable.timestamp = before.timestamp;
  return comparable != before;
}

namespace {

void commit(const LoopPlugins& plugins, const Session& session, std::string_view pipeline, std::string_view prompt,
            Round& round) {
  IterationRecord record;
  record.session_id = session.session_id;
  record.pipeline = pipeline;
  record.iteration_number = round.iteration_number;
  record.prompt = prompt;
  record.design_type = session.design_type;
  record.action = round.action;
  record.spec_before_json = round.spec_before_json;
  record.spec_after_json = round.spec_json;
  record.evaluation = round.evaluation;
  record.feedback = round.feedback;
  record.changes = round.changes;
  record.score_before = round.score_before;
  record.score_after = round.score_after;
  record.reward = round.reward;
  round.iteration_id = storeIteration(plugins.storage, record);
}

Round scored(int number, std::string action, sdk::DesignSpec spec, const LoopPlugins& plugins, std::string_view prompt,
             double previous_score) {
  Round round;
  round.iteration_number = number;
  round.action = std::move(action);
  round.evaluation = plugins.evaluator.evaluate(spec, prompt);
  round.spec_json = sdk::serialize(spec);
  round.spec = std::move(spec);
  round.feedback = plugins.feedback.review({std::string(prompt), round.spec, round.evaluation});
  round.score_before = previous_score;
  round.score_after = round.evaluation.score;
  round.reward = iterationReward(round.score_after, previous_score);
  round.improvement = roundImprovement(number, round.score_after, previous_score);
  return round;
}

}  // namespace

Session runImprovementLoop(const LoopPlugins& plugins, std::string_view pipeline, std::string_view prompt,
                           const StopRule& rule) {
  const ActiveSession counted;
  Session session;
  session.session_id = sdk::randomUuid();

  sdk::DesignSpec generated = plugins.agent.generate(prompt);
  session.design_type = generated.design_type;
  session.rounds.push_back(scored(1, "generate", std::move(generated), plugins, prompt, 0));
  commit(plugins, session, pipeline, prompt, session.rounds.back());

  // Rounds improve the best spec so far: a change that lowers the score is recorded, not built on.
  size_t best = 0;
  std::vector<double> best_scores{session.rounds.back().score_after};
  bool changed = true;
  while (true) {
    if (const auto reason = shouldStop(rule, best_scores, changed)) {
      session.stop_reason = *reason;
      session.best = best;
      return session;
    }
    const Round& base = session.rounds[best];
    sdk::Improvement improvement;
    try {
      improvement = plugins.agent.improve({std::string(prompt), base.spec, base.evaluation, std::nullopt});
    } catch (const plugins::PluginCallError& e) {
      if (e.status() != P2J_REFUSED) throw;
      session.stop_reason = StopReason::kNothingToChange;  // the agent cannot improve specs at all
      session.best = best;
      return session;
    }
    changed = specChanged(base.spec, improvement.spec);
    Round round = scored(session.rounds.back().iteration_number + 1, "all_feedback", std::move(improvement.spec),
                         plugins, prompt, base.score_after);
    round.spec_before_json = base.spec_json;
    round.changes = std::move(improvement.changes);
    commit(plugins, session, pipeline, prompt, round);
    if (round.score_after > session.rounds[best].score_after) best = session.rounds.size();
    session.rounds.push_back(std::move(round));
    best_scores.push_back(session.rounds[best].score_after);
  }
}

}  // namespace p2j::pipelines
