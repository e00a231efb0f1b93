// Learning insights in the original's shape, computed from what storage holds (recent iterations of the
// design type and recent user feedback) rather than from a history cached at start-up, so every process
// and every restart agrees on them.
#pragma once

#include "plugins/storage_plugin.hpp"

#include <p2j/sdk/json.hpp>

#include <string_view>

namespace p2j::pipelines {

// How many recent rows of each collection the insights read: enough for a trend, cheap per request.
inline constexpr int64_t kInsightWindow = 100;

// {"message": "No feedback history available"} without history, else {"design_type", "total_iterations",
// "average_score", "score_trend", "average_reward", "best_iteration", "best_round",
// "common_successful_patterns", "action_effectiveness", "user_feedback"}; a {"message"} when storage cannot
// be read (P2J_UNAVAILABLE), since the pipeline's own rows were committed before.
void writeLearningInsights(sdk::JsonWriter& writer, const plugins::StoragePlugin& storage,
                           std::string_view design_type);

}  // namespace p2j::pipelines
