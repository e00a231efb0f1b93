#include "pipelines/learning_insights.hpp"

#include "observability/logging.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace p2j::pipelines {
namespace {

constexpr double kSuccessfulScore = 80;

struct Row {
  std::string session_id;
  int64_t iteration_number = 0;
  std::string action;
  double score_before = 0;
  double score_after = 0;
  double reward = 0;
  std::vector<std::string> materials;
};

double number(const rapidjson::Value& row, const char* key) {
  const auto* value = sdk::findMember(row, key);
  return value != nullptr && value->IsNumber() ? value->GetDouble() : 0;
}

std::string text(const rapidjson::Value& row, const char* key) {
  const auto* value = sdk::findMember(row, key);
  return value != nullptr && value->IsString() ? std::string(value->GetString(), value->GetStringLength()) : "";
}

// Oldest first.
std::vector<Row> readRows(const rapidjson::Document& stored) {
  std::vector<Row> rows;
  for (rapidjson::SizeType i = stored.Size(); i > 0; --i) {
    const rapidjson::Value& item = stored[i - 1];
    Row row;
    row.session_id = text(item, "session_id");
    const auto* number_value = sdk::findMember(item, "iteration_number");
    row.iteration_number = number_value != nullptr && number_value->IsInt64() ? number_value->GetInt64() : 0;
    row.action = text(item, "action");
    row.score_before = number(item, "score_before");
    row.score_after = number(item, "score_after");
    row.reward = number(item, "reward");
    if (const auto* spec = sdk::findMember(item, "spec_after"); spec != nullptr && spec->IsObject()) {
      if (const auto* materials = sdk::findMember(*spec, "materials"); materials != nullptr && materials->IsArray()) {
        for (const auto& material : materials->GetArray()) {
          if (material.IsObject()) row.materials.push_back(text(material, "type"));
        }
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

double round2(double value) { return std::round(value * 100) / 100; }

void writeUserFeedback(sdk::JsonWriter& writer, const rapidjson::Document& feedback) {
  double total = 0;
  for (const auto& item : feedback.GetArray()) total += number(item, "rating");
  writer.StartObject();
  writer.Key("count");
  writer.Uint(feedback.Size());
  if (!feedback.Empty()) {
    writer.Key("average_rating");
    writer.Double(round2(total / feedback.Size()));
  }
  writer.EndObject();
}

}  // namespace

void writeLearningInsights(sdk::JsonWriter& writer, const plugins::StoragePlugin& storage,
                           std::string_view design_type) {
  sdk::FindQuery query;
  query.where.emplace_back("design_type", std::string(design_type));
  query.descending = true;
  query.limit = kInsightWindow;
  sdk::FindQuery feedback_query;
  feedback_query.descending = true;
  feedback_query.limit = kInsightWindow;
  std::vector<Row> rows;
  rapidjson::Document feedback;
  try {
    rows = readRows(storage.find("iterations", query));
    feedback = storage.find("feedback", feedback_query);
  } catch (const plugins::PluginCallError& e) {
    // The pipeline's rows are already committed (perhaps to a spool while the database is away): the
    // insights are a summary, not worth failing the answer for.
    if (e.status() != P2J_UNAVAILABLE) throw;
    observability::log(observability::Log::kStorage).warn("learning insights skipped: {}", e.what());
    writer.StartObject();
    writer.Key("message");
    writer.String("Learning insights are unavailable while storage is unreachable");
    writer.EndObject();
    return;
  }
  writer.StartObject();
  if (rows.empty()) {
    writer.Key("message");
    writer.String("No feedback history available");
    writer.EndObject();
    return;
  }

  double score_sum = 0;
  double reward_sum = 0;
  const Row* best = &rows.front();
  std::map<std::string, int> successful_materials;
  struct Gain {
    int rounds = 0;
    double total = 0;
  };
  std::map<std::string, Gain> gains;
  for (const auto& row : rows) {
    score_sum += row.score_after;
    reward_sum += row.reward;
    if (row.score_after > best->score_after) best = &row;
    if (row.score_after > kSuccessfulScore) {
      for (const auto& material : row.materials) ++successful_materials[material];
    }
    if (row.iteration_number > 1) {
      Gain& gain = gains[row.action];
      ++gain.rounds;
      gain.total += row.score_after - row.score_before;
    }
  }
  // The trend compares the newer half of the window with the older half, not two single rows.
  const size_t half = rows.size() / 2;
  double older = 0;
  double newer = 0;
  for (size_t i = 0; i < rows.size(); ++i) (i < half ? older : newer) += rows[i].score_after;
  const char* trend = "stable";
  if (half > 0) {
    const double older_mean = older / static_cast<double>(half);
    const double newer_mean = newer / static_cast<double>(rows.size() - half);
    if (newer_mean > older_mean) trend = "improving";
    if (newer_mean < older_mean) trend = "declining";
  }

  writer.Key("design_type");
  sdk::writeString(writer, design_type);
  writer.Key("total_iterations");
  writer.Uint64(rows.size());
  writer.Key("average_score");
  writer.Double(round2(score_sum / static_cast<double>(rows.size())));
  writer.Key("score_trend");
  writer.String(trend);
  writer.Key("average_reward");
  writer.Double(round2(reward_sum / static_cast<double>(rows.size())));
  // The original's best_iteration is the round's number; best_round says which session it belongs to.
  writer.Key("best_iteration");
  writer.Int64(best->iteration_number);
  writer.Key("best_round");
  writer.StartObject();
  writer.Key("session_id");
  sdk::writeString(writer, best->session_id);
  writer.Key("iteration_number");
  writer.Int64(best->iteration_number);
  writer.Key("score");
  writer.Double(best->score_after);
  writer.EndObject();

  writer.Key("common_successful_patterns");
  writer.StartArray();
  const auto top_material = std::max_element(successful_materials.begin(), successful_materials.end(),
                                             [](const auto& a, const auto& b) { return a.second < b.second; });
  if (top_material != successful_materials.end()) {
    sdk::writeString(writer, "Using " + top_material->first + " material leads to better results");
  }
  const std::pair<const std::string, Gain>* best_action = nullptr;
  for (const auto& entry : gains) {
    if (entry.second.total / entry.second.rounds <= 0) continue;
    if (best_action == nullptr ||
        entry.second.total / entry.second.rounds > best_action->second.total / best_action->second.rounds) {
      best_action = &entry;
    }
  }
  if (best_action != nullptr) {
    char average[32];
    std::snprintf(average, sizeof average, "%.1f", best_action->second.total / best_action->second.rounds);
    sdk::writeString(writer, "Improvement '" + best_action->first + "' gains " + average + " points on average");
  }
  writer.EndArray();

  writer.Key("action_effectiveness");
  writer.StartObject();
  for (const auto& [action, gain] : gains) {
    sdk::writeKey(writer, action);
    writer.StartObject();
    writer.Key("rounds");
    writer.Int(gain.rounds);
    writer.Key("average_gain");
    writer.Double(round2(gain.total / gain.rounds));
    writer.EndObject();
  }
  writer.EndObject();

  writer.Key("user_feedback");
  writeUserFeedback(writer, feedback);
  writer.EndObject();
}

}  // namespace p2j::pipelines
