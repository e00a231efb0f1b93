// The smallest useful p2j plugin: an evaluator that scores a spec by how many features it names.
// Build it out of tree with the CMakeLists.txt beside it, drop the .so into a plugin directory and wire it:
//   plugins:   { features: { use: example-feature-count, config: { points_per_feature: 25 } } }
#include <p2j/sdk/plugin.hpp>
#include <p2j/sdk/time.hpp>

#include <algorithm>

namespace {

constexpr const char* kConfigSchema = R"({
  "type": "object",
  "properties": {
    "points_per_feature": {"type": "number", "minimum": 0, "maximum": 100, "default": 20}
  },
  "additionalProperties": false
})";

class FeatureCountEvaluator : public p2j::sdk::Evaluator {
 public:
  // Nothing changes after construction, so the host may call one instance from many threads at once.
  static constexpr bool kThreadSafe = true;

  explicit FeatureCountEvaluator(const rapidjson::Value& config)
      : points_per_feature_(p2j::sdk::optionalNumber(config, "points_per_feature", "").value_or(20)) {}

  p2j::sdk::Evaluation evaluate(const p2j::sdk::DesignSpec& spec, std::string_view /*prompt*/) override {
    p2j::sdk::Evaluation evaluation;
    const double score = std::min(100.0, points_per_feature_ * static_cast<double>(spec.features.size()));
    evaluation.score = evaluation.completeness = score;
    evaluation.format_validity = 100;
    evaluation.feasibility = 100;
    if (spec.features.empty()) {
      evaluation.feedback.push_back("No features specified");
      evaluation.suggestions.push_back("Name the features the design needs");
    }
    evaluation.timestamp = p2j::sdk::utcNow();
    return evaluation;
  }

 private:
  double points_per_feature_;
};

}  // namespace

P2J_EXPORT_EVALUATOR(FeatureCountEvaluator, "example-feature-count", "1.0.0",
                     "Example: scores a spec by the number of features it names", kConfigSchema)
