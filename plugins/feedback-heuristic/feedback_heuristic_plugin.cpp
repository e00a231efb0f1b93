// The embedded feedback agent: the original service's heuristic review, as a plugin so a deployment can
// swap in its own reviewer without touching the pipelines.
#include "heuristic_feedback.hpp"

#include <p2j/sdk/plugin.hpp>

namespace {

class HeuristicFeedback : public p2j::sdk::FeedbackAgent {
 public:
  static constexpr bool kThreadSafe = true;  // stateless

  explicit HeuristicFeedback(const rapidjson::Value& /*config*/) {}

  p2j::sdk::FeedbackReport review(const p2j::sdk::FeedbackRequest& request) override {
    return p2j::feedback_heuristic::heuristicFeedback(request.spec, request.evaluation);
  }
};

}  // namespace

P2J_EXPORT_FEEDBACK(HeuristicFeedback, "feedback-heuristic", "1.0.0",
                    "Heuristic feedback: the original service's suggestions on materials, features, size and score",
                    R"({"type": "object", "properties": {}, "additionalProperties": false})")
