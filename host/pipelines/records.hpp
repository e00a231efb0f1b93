// The rows the pipelines commit, written in one place so every pipeline stores the same shapes.
#pragma once

#include "plugins/storage_plugin.hpp"

#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/evaluation.hpp>
#include <p2j/sdk/feedback.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::pipelines {

// The evaluator's own grade when it gives one (its boundaries are its config), else the original's:
// A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F.
std::string reportGrade(const sdk::Evaluation& evaluation);

// Commits a `specs` row and returns its id. `source` is the agent instance, or "client" for a spec a client
// posted.
std::string storeSpec(const plugins::StoragePlugin& storage, std::string_view prompt, std::string_view spec_json,
                      std::string_view source);

struct StoredReport {
  std::string spec_id;
  std::string report_id;
};

// Commits the evaluated spec and its evaluation (`evaluations`, the report a client fetches by id) in one
// transaction; a storage built against ABI 1.6 or older gets them one after the other.
StoredReport storeReport(const plugins::StoragePlugin& storage, std::string_view prompt, std::string_view spec_json,
                         std::string_view spec_source, const sdk::Evaluation& evaluation, std::string_view evaluator);

// One round of a pipeline as an `iterations` row.
struct IterationRecord {
  std::string session_id;
  std::string pipeline;  // iterate | coordinate | advanced_rl
  int iteration_number = 0;
  std::string prompt;
  std::string design_type;
  std::string action;
  std::optional<std::string> spec_before_json;
  std::string spec_after_json;
  sdk::Evaluation evaluation;
  sdk::FeedbackReport feedback;
  std::vector<std::string> changes;
  double score_before = 0;
  double score_after = 0;
  double reward = 0;
};

// Commits the row and returns its id (the iteration_id).
std::string storeIteration(const plugins::StoragePlugin& storage, const IterationRecord& record);

}  // namespace p2j::pipelines
