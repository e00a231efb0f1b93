// The feedback agent of the original (§6.2 of the reference): heuristic suggestions on a spec and its
// evaluation. Its building rules are fixed to the universal spec (category "commercial", not the
// never-produced "office"; areas and elevators only for buildings).
#pragma once

#include <p2j/sdk/feedback.hpp>

namespace p2j::feedback_heuristic {

sdk::FeedbackReport heuristicFeedback(const sdk::DesignSpec& spec, const sdk::Evaluation& evaluation);

}  // namespace p2j::feedback_heuristic
