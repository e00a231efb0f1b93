// POST /log-values {"date", "day", "task", "values_reflection", "achievements"?, "technical_notes"?}
//   -> {"success", "hidg_id", "message", "file"}
// The row in `value_logs` is the record; one line per entry also goes to a plain daily log file (the
// endpoint's `log_file`) for people who read logs rather than query databases.
#include "endpoints/json_body.hpp"
#include "endpoints/pipeline_binding.hpp"
#include "http/http_error.hpp"
#include "observability/logging.hpp"

#include <p2j/sdk/time.hpp>

#include <filesystem>
#include <fstream>
#include <mutex>

namespace p2j::endpoints {
namespace {

constexpr size_t kMaxShortField = 200;
constexpr size_t kMaxTaskBytes = 4000;
constexpr size_t kMaxTaskInLogLine = 200;

// An object whose values are all strings (values_reflection), or any object (the optional ones).
const rapidjson::Value* objectField(const rapidjson::Value& body, const char* key, bool required, bool strings_only) {
  const auto* value = sdk::findMember(body, key);
  if (value == nullptr) {
    if (required) throw http::unprocessable(std::string(key) + ": is required", key);
    return nullptr;
  }
  if (!value->IsObject()) throw http::unprocessable(std::string(key) + ": must be an object", key);
  if (strings_only) {
    for (auto it = value->MemberBegin(); it != value->MemberEnd(); ++it) {
      if (!it->value.IsString()) {
        const std::string path = std::string(key) + "." + std::string(it->name.GetString(), it->name.GetStringLength());
        throw http::unprocessable(path + ": must be a string", path);
      }
    }
  }
  return value;
}

// Client text on one log line: control characters (a newline would forge a line) become spaces.
std::string oneLine(std::string_view text, size_t limit) {
  std::string line(text.substr(0, limit));
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return line;
}

class LogValuesAction : public Action {
 public:
  explicit LogValuesAction(const ActionSetup& setup)
      : storage_(setup.context.storage), log_file_(setup.settings.path("log_file")) {}

  http::Response handle(http::Request& request) const override {
    requireObjectBody(request.json);
    const std::string date = requireText(request.json, "date", kMaxShortField);
    const std::string day = requireText(request.json, "day", kMaxShortField);
    const std::string task = requireText(request.json, "task", kMaxTaskBytes);
    const auto* reflection = objectField(request.json, "values_reflection", true, true);
    const auto* achievements = objectField(request.json, "achievements", false, false);
    const auto* notes = objectField(request.json, "technical_notes", false, false);

    rapidjson::StringBuffer record;
    sdk::JsonWriter record_writer(record);
    record_writer.StartObject();
    record_writer.Key("date");
    sdk::writeString(record_writer, date);
    record_writer.Key("day");
    sdk::writeString(record_writer, day);
    record_writer.Key("task");
    sdk::writeString(record_writer, task);
    record_writer.Key("values_reflection");
    reflection->Accept(record_writer);
    if (achievements != nullptr) {
      record_writer.Key("achievements");
      achievements->Accept(record_writer);
    }
    if (notes != nullptr) {
      record_writer.Key("technical_notes");
      notes->Accept(record_writer);
    }
    record_writer.EndObject();
    const plugins::StoredId stored = storage_->insert("value_logs", {record.GetString(), record.GetSize()});
    const bool appended = appendLine(sdk::utcNow() + " - VALUES - " + oneLine(date, kMaxShortField) + " (" +
                                     oneLine(day, kMaxShortField) + "): " + oneLine(task, kMaxTaskInLogLine) +
                                     " - id:" + stored.id + "\n");

    rapidjson::StringBuffer body;
    sdk::JsonWriter writer(body);
    writer.StartObject();
    writer.Key("success");
    writer.Bool(true);
    writer.Key("hidg_id");
    sdk::writeString(writer, stored.id);
    writer.Key("message");
    writer.String(appended ? "Values logged successfully"
                           : "Values logged successfully; the daily log file could not be written");
    writer.Key("file");
    // The file's name only: where the server keeps its data is not the client's business.
    if (appended) {
      sdk::writeString(writer, log_file_.filename().string());
    } else {
      writer.Null();
    }
    writer.EndObject();
    return jsonAnswer(body);
  }

 private:
  // Open, append, close under one lock: lines from concurrent requests never interleave, and a rotated
  // or deleted file is simply created again.
  bool appendLine(const std::string& line) const {
    static std::mutex file_mutex;
    const std::lock_guard lock(file_mutex);
    std::error_code error;
    std::filesystem::create_directories(log_file_.parent_path(), error);
    std::ofstream out(log_file_, std::ios::app | std::ios::binary);
    out << line;
    out.close();
    if (!out) {
      observability::log(observability::Log::kApplication).error("log-values: cannot append to {}", log_file_.string());
      return false;
    }
    return true;
  }

  std::shared_ptr<plugins::StoragePlugin> storage_;
  std::filesystem::path log_file_;
};

constexpr std::string_view kValuesRequest = R"json({
  "type": "object",
  "required": ["date", "day", "task", "values_reflection"],
  "properties": {
    "date": {"type": "string", "maxLength": 200},
    "day": {"type": "string", "maxLength": 200},
    "task": {"type": "string", "maxLength": 4000},
    "values_reflection": {"type": "object", "additionalProperties": {"type": "string"}},
    "achievements": {"type": ["object", "null"]},
    "technical_notes": {"type": ["object", "null"]}
  }
})json";

constexpr std::string_view kValuesAnswer = R"json({
  "type": "object",
  "required": ["success", "hidg_id", "message", "file"],
  "additionalProperties": false,
  "properties": {
    "success": {"const": true},
    "hidg_id": {"type": "string", "minLength": 1, "description": "The stored entry's id"},
    "message": {"type": "string"},
    "file": {"type": ["string", "null"], "description": "The daily log file's name, null when it could not be written"}
  }
})json";

}  // namespace

std::vector<ActionDescriptor> valueActions() {
  return {{
      .name = "log_values",
      .summary = "Store a daily values reflection and append a line to the daily log file",
      .takes_json_body = true,
      .needs_storage = true,
      .value_settings = {{"log_file", ValueSetting::Kind::kPath}},
      .api = {.tag = "Feedback",
              .request_schema = kValuesRequest,
              .request_example = R"json({"date": "2025-01-31", "day": "Friday", "task": "Wired the evaluator",
                                     "values_reflection": {"honesty": "Reported the failing test"}})json",
              .responses = {{200, "The entry, stored", kValuesAnswer}}},
      .make = [](const ActionSetup& setup) { return std::make_unique<LogValuesAction>(setup); },
  }};
}

}  // namespace p2j::endpoints
