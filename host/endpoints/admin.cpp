// The operator's actions.
// POST /admin/prune-logs?retention_days=N (default 30, 1..36500) -> {"success", "retention_days", "cutoff",
//   "results": {"feedback", "iterations", "value_logs": {"pruned", "remaining", "message"}, "total_pruned"},
//   "message"}
// Removes the log-like rows (iterations, user feedback, value logs) created before now − N days; specs,
// reports and learned policies stay.
// POST /admin/reload -> {"success", "message", "generation", "file", "endpoints",
//   "plugins": {"created", "kept", "removed"}, "restart_required"}, or 422 with why the file was not applied.
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
      sdk::writeKey(writer, collection);
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

class ReloadAction : public Action {
 public:
  explicit ReloadAction(const ActionSetup& setup) : reloader_(setup.context.reloader) {}

  http::Response handle(http::Request& /*request*/) const override {
    if (reloader_ == nullptr) {
      throw http::HttpError(503, "service_unavailable", "this process cannot reload its configuration");
    }
    const ReloadReport report = reloader_->reload();
    // The admin asked for exactly this text: the file, the line and what is wrong in it.
    if (!report.success) {
      throw http::HttpError(422, "invalid_configuration", report.error + "; the running configuration is unchanged");
    }
    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("success");
    writer.Bool(true);
    writer.Key("message");
    sdk::writeString(writer, report.restart_required.empty()
                                 ? std::string("configuration reloaded")
                                 : "configuration reloaded; some settings need a restart to change (restart_required)");
    writer.Key("generation");
    writer.Int(report.generation);
    writer.Key("file");
    sdk::writeString(writer, report.file);
    writer.Key("endpoints");
    writer.Uint64(report.endpoints);
    writer.Key("plugins");
    writer.StartObject();
    writer.Key("created");
    sdk::writeStringList(writer, report.created);
    writer.Key("kept");
    sdk::writeStringList(writer, report.kept);
    writer.Key("removed");
    sdk::writeStringList(writer, report.removed);
    writer.EndObject();
    writer.Key("restart_required");
    sdk::writeStringList(writer, report.restart_required);
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  ConfigReloader* reloader_;
};

constexpr std::string_view kReloadAnswer = R"json({
  "type": "object",
  "required": ["success", "message", "generation", "file", "endpoints", "plugins", "restart_required"],
  "additionalProperties": false,
  "properties": {
    "success": {"const": true},
    "message": {"type": "string"},
    "generation": {"type": "integer", "minimum": 2, "description": "1 at start-up, +1 per successful reload"},
    "file": {"type": "string", "description": "The configuration file that was read"},
    "endpoints": {"type": "integer", "minimum": 0},
    "plugins": {
      "type": "object",
      "required": ["created", "kept", "removed"],
      "additionalProperties": false,
      "properties": {
        "created": {"type": "array", "items": {"type": "string"}, "description": "Instances made for this configuration"},
        "kept": {"type": "array", "items": {"type": "string"}, "description": "Instances taken over unchanged"},
        "removed": {"type": "array", "items": {"type": "string"}, "description": "Instances of the previous configuration it does not use"}
      }
    },
    "restart_required": {"type": "array", "items": {"type": "string"},
                         "description": "Settings that changed but keep their running value until a restart"}
  }
})json";

}  // namespace

std::vector<ActionDescriptor> adminActions() {
  return {
      {
          .name = "prune_logs",
          .summary = "Delete iteration, feedback and value-log rows older than retention_days (at least 1)",
          .needs_storage = true,
          .api = {.tag = "Operations",
                  .query = {{"retention_days", "Delete rows older than this many days (default 30)",
                             R"json({"type": "integer", "minimum": 1, "maximum": 36500, "default": 30})json"}},
                  .responses = {{200, "What was deleted and what remains, per collection", kPruneAnswer},
                                {422, "retention_days is not an integer from 1 to 36500"}}},
          .make = [](const ActionSetup& setup) { return std::make_unique<PruneLogsAction>(setup); },
      },
      {
          .name = "reload",
          .summary = "Re-read the configuration file and apply it without dropping a request (as SIGHUP does)",
          .api = {.tag = "Operations",
                  .responses = {{200, "The file was applied; what was created, kept and removed", kReloadAnswer},
                                {422, "The file is wrong (file:line:col: what); the running configuration stays"}}},
          .make = [](const ActionSetup& setup) { return std::make_unique<ReloadAction>(setup); },
      },
  };
}

}  // namespace p2j::endpoints
