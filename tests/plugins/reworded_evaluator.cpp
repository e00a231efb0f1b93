// evaluator-criteria's scores and findings with every text for people replaced by one that names nothing
// ("Hinweis 1", "Vorschlag 1"): what a reworded or translated evaluator looks like to an agent. The pipeline
// tests show /iterate improves a spec exactly as much with it as with the original wording.
#include "criteria.hpp"
#include "criteria_config.hpp"

#include <p2j/sdk/plugin.hpp>
#include <p2j/sdk/time.hpp>

#include <string>

namespace {

class RewordedEvaluator : public p2j::sdk::Evaluator {
 public:
  static constexpr bool kThreadSafe = true;

  explicit RewordedEvaluator(const rapidjson::Value& config)
      : criteria_(p2j::evaluator_criteria::criteriaConfigFromJson(config)) {}

  p2j::sdk::Evaluation evaluate(const p2j::sdk::DesignSpec& spec, std::string_view /*prompt*/) override {
    p2j::sdk::Evaluation evaluation = criteria_.evaluate(spec);
    evaluation.timestamp = p2j::sdk::utcNow();
    for (size_t i = 0; i < evaluation.feedback.size(); ++i) {
      evaluation.feedback[i] = "Hinweis " + std::to_string(i + 1);
      evaluation.findings->at(i).message = evaluation.feedback[i];
    }
    for (size_t i = 0; i < evaluation.suggestions.size(); ++i) {
      evaluation.suggestions[i] = "Vorschlag " + std::to_string(i + 1);
    }
    return evaluation;
  }

 private:
  const p2j::evaluator_criteria::Criteria criteria_;
};

}  // namespace

P2J_EXPORT_EVALUATOR(RewordedEvaluator, "reworded-evaluator", "0.0.1",
                     "evaluator-criteria with texts for people that name nothing", R"({"type": "object"})")
