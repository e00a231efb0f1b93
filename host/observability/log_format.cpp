#include "observability/log_format.hpp"

#include "observability/log_context.hpp"

#include <p2j/sdk/json.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <ctime>

namespace p2j::observability {
namespace {

void append(spdlog::memory_buf_t& dest, std::string_view text) { dest.append(text.data(), text.data() + text.size()); }

// "2026-01-31T12:00:00.123456Z"; the part up to the seconds is formatted once per second and thread.
void appendTimestamp(spdlog::memory_buf_t& dest, spdlog::log_clock::time_point time) {
  thread_local std::time_t cached_second = -1;
  thread_local char cached[24] = {};
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const std::time_t second = static_cast<std::time_t>(seconds.count());
  if (second != cached_second) {
    std::tm utc{};
    gmtime_r(&second, &utc);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &utc);
    cached_second = second;
  }
  append(dest, cached);
  // By hand: snprintf cost as much as the rest of an access log line's formatting.
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since_epoch - seconds).count();
  char fraction[] = ".000000Z";
  for (int digit = 6; digit >= 1; --digit, micros /= 10) fraction[digit] = static_cast<char>('0' + micros % 10);
  append(dest, {fraction, sizeof fraction - 1});
}

std::string_view levelName(spdlog::level::level_enum level) {
  const auto& name = spdlog::level::to_string_view(level);
  return {name.data(), name.size()};
}

void appendEscapedLine(spdlog::memory_buf_t& dest, std::string_view text) {
  // The runs between line breaks go in whole: nearly every message has none.
  // (find_first_of would call memchr on its two characters for every byte.)
  while (!text.empty()) {
    size_t run = 0;
    while (run < text.size() && text[run] != '\n' && text[run] != '\r') ++run;
    append(dest, text.substr(0, run));
    if (run == text.size()) return;
    append(dest, text[run] == '\n' ? "\\n" : "\\r");
    text.remove_prefix(run + 1);
  }
}

}  // namespace

void TextLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  appendTimestamp(dest, msg.time);
  dest.push_back(' ');
  append(dest, levelName(msg.level));
  dest.push_back(' ');
  append(dest, {msg.logger_name.data(), msg.logger_name.size()});
  append(dest, ": ");
  appendEscapedLine(dest, {msg.payload.data(), msg.payload.size()});
  for (const LogField& field : currentLogFields()) {
    if (!field.in_text) continue;
    dest.push_back(' ');
    append(dest, field.key);
    dest.push_back('=');
    appendEscapedLine(dest, field.value);
  }
  if (const std::string_view id = currentRequestId(); !id.empty()) {
    append(dest, " request_id=");
    append(dest, id);
  }
  dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> TextLogFormatter::clone() const { return std::make_unique<TextLogFormatter>(); }

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  spdlog::memory_buf_t timestamp;
  appendTimestamp(timestamp, msg.time);
  rapidjson::StringBuffer line;
  rapidjson::Writer<rapidjson::StringBuffer> writer(line);
  // A log line is always valid JSON: text that is not UTF-8 (a client's raw request line, say) has its
  // non-ASCII bytes replaced.
  auto string = [&](std::string_view text) {
    if (sdk::isStorableText(text)) {
      writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
      return;
    }
    std::string ascii(text);
    for (char& c : ascii) {
      if (c == '\0' || static_cast<unsigned char>(c) >= 0x80) c = '?';
    }
    writer.String(ascii.data(), static_cast<rapidjson::SizeType>(ascii.size()));
  };
  writer.StartObject();
  writer.Key("ts");
  string({timestamp.data(), timestamp.size()});
  writer.Key("level");
  string(levelName(msg.level));
  writer.Key("logger");
  string({msg.logger_name.data(), msg.logger_name.size()});
  writer.Key("msg");
  string({msg.payload.data(), msg.payload.size()});
  if (const std::string_view id = currentRequestId(); !id.empty()) {
    writer.Key("request_id");
    string(id);
  }
  for (const LogField& field : currentLogFields()) {
    writer.Key(field.key.data(), static_cast<rapidjson::SizeType>(field.key.size()));
    if (field.number) {
      writer.RawValue(field.value.data(), field.value.size(), rapidjson::kNumberType);
    } else {
      string(field.value);
    }
  }
  writer.EndObject();
  append(dest, {line.GetString(), line.GetSize()});
  dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const { return std::make_unique<JsonLogFormatter>(); }

}  // namespace p2j::observability
