// The embedded evaluator: the original service's criteria, weights and texts, with the feasibility it
// computes returned as computed.
#include "criteria.hpp"
#include "criteria_config.hpp"

#include <p2j/sdk/plugin.hpp>
#include <p2j/sdk/time.hpp>

namespace {

class CriteriaEvaluator : public p2j::sdk::Evaluator {
 public:
  static constexpr bool kThreadSafe = true;  // the criteria are immutable

  explicit CriteriaEvaluator(const rapidjson::Value& config)
      : criteria_(p2j::evaluator_criteria::criteriaConfigFromJson(config)) {}

  p2j::sdk::Evaluation evaluate(const p2j::sdk::DesignSpec& spec, std::string_view /*prompt*/) override {
    p2j::sdk::Evaluation evaluation = criteria_.evaluate(spec);
    evaluation.timestamp = p2j::sdk::utcNow();
    evaluation.grade = std::string(1, criteria_.grade(evaluation.score));
    return evaluation;
  }

 private:
  const p2j::evaluator_criteria::Criteria criteria_;
};

}  // namespace

P2J_EXPORT_EVALUATOR(CriteriaEvaluator, "evaluator-criteria", "1.0.0",
                     "Criteria evaluator: completeness, format validity and per-type feasibility, weighted",
                     p2j::evaluator_criteria::kConfigSchema)
