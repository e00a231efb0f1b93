// POST /admin/prune-logs?retention_days=N (default 30, 1..36500) -> {"success", "retention_days", "cutoff",
//   "results": {"feedback", "iterations", "value_logs": {"pruned", "remaining", "message"}, "total_pruned"},
//   "message"}
// Removes the log-like rows (iterations, user feedback, value logs) created before now − N days; specs,
// reports and learned policies stay.
#include "endpoints/pipeline_binding.hpp"
#include "http/http_error.hpp"

#include <p2j/sdk/time.hpp>

#include <charconv>
#include <chrono>

namespace p2j::endpoints {
namespace {

constexpr int64_t kDefaultRetentionDays = 30;
constexpr int64_t kMaxRetentionDays = 36500;

int64_t retentionDays(const http::Request& request) {
  const auto text = request.queryParameter("retention_days");
  if (!text) return kDefaultRetentionDays;
  int64_t days = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, days);
  if (ec != std::errc() || ptr != end || text->empty() || days < 1 || days > kMaxRetentionDays) {
    throw http::unprocessable("retention_days: must be an integer between 1 and " + std::to_string(kMaxRetentionDays),
                              "retention_days");
  }
  return days;
}

class PruneLogsAction : public Action {
 public:
  explicit PruneLogsAction(const ActionSetup& setup) : storage_(setup.context.storage) {}

  http::Response handle(http::Request& request) const override {
    const int64_t days = retentionDays(request);
    const std::string cutoff =
        sdk::formatUtcTimestamp(std::chrono::system_clock::now() - std::chrono::hours(24) * days);

    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("success");
    writer.Bool(true);
    writer.Key("retention_days");
    writer.Int64(days);
    writer.Key("cutoff");
    sdk::writeString(writer, cutoff);
    writer.Key("results");
    writer.StartObject();
    int64_t total = 0;
    for (const auto& [collection, label] :
         {std::pair{"feedback", "feedback logs"}, std::pair{"iterations", "iteration logs"},
          std::pair{"value_logs", "value logs"}}) {
      const sdk::PruneResult result = storage_->prune(collection, cutoff);
      total += result.pruned;
      writer.Key(collection);
      writer.StartObject();
      writer.Key("pruned");
      writer.Int64(result.pruned);
      writer.Key("remaining");
      writer.Int64(result.remaining);
      writer.Key("message");
      sdk::writeString(writer, "Pruned " + std::to_string(result.pruned) + " old " + label);
      writer.EndObject();
    }
    writer.Key("total_pruned");
    writer.Int64(total);
    writer.EndObject();
    writer.Key("message");
    sdk::writeString(writer, "Log pruning completed - " + std::to_string(total) + " entries removed");
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  std::shared_ptr<plugins::StoragePlugin> storage_;
};

constexpr std::string_view kPruneAnswer = R"json({
  "type": "object",
  "required": ["success", "retention_days", "cutoff", "results", "message"],
  "additionalProperties": false,
  "properties": {
    "success": {"const": true},
    "retention_days": {"type": "integer", "minimum": 1},
    "cutoff": {"type": "string", "description": "Rows created before this UTC time were deleted"},
    "results": {
      "type": "object",
      "required": ["feedback", "iterations", "value_logs", "total_pruned"],
      "additionalProperties": false,
      "properties": {
        "feedback": {"type": "object", "required": ["pruned", "remaining", "message"],
                     "properties": {"pruned": {"type": "integer"}, "remaining": {"type": "integer"}, "message": {"type": "string"}}},
        "iterations": {"type": "object", "required": ["pruned", "remaining", "message"],
                       "properties": {"pruned": {"type": "integer"}, "remaining": {"type": "integer"}, "message": {"type": "string"}}},
        "value_logs": {"type": "object", "required": ["pruned", "remaining", "message"],
                       "properties": {"pruned": {"type": "integer"}, "remaining": {"type": "integer"}, "message": {"type": "string"}}},
        "total_pruned": {"type": "integer", "minimum": 0}
      }
    },
    "message": {"type": "string"}
  }
})json";

}  // namespace

std::vector<ActionDescriptor> adminActions() {
  return {{
      .name = "prune_logs",
      .summary = "Delete iteration, feedback and value-log rows older than retention_days (at least 1)",
      .needs_storage = true,
      .api = {.tag = "Operations",
              .query = {{"retention_days", "Delete rows older than this many days (default 30)",
                         R"json({"type": "integer", "minimum": 1, "maximum": 36500, "default": 30})json"}},
              .responses = {{200, "What was deleted and what remains, per collection", kPruneAnswer},
                            {422, "retention_days is not an integer from 1 to 36500"}}},
      .make = [](const ActionSetup& setup) { return std::make_unique<PruneLogsAction>(setup); },
  }};
}

}  // namespace p2j::endpoints
