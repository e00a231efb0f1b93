// What a log line says beyond its message, set by whoever knows it rather than passed down every call:
// the id of the request the thread is serving (set by the dispatcher for the whole request, so every line
// logged while serving it carries the id), and structured fields for one line (the access log's).
// Both formats render them: text as ` key=value` after the message, JSON as keys of the line's object.
#pragma once

#include <span>
#include <string_view>

namespace p2j::observability {

struct LogField {
  std::string_view key;
  std::string_view value;  // numbers already formatted
  bool number = false;     // JSON writes it unquoted
  bool in_text = true;     // false: the text format's message already says it (JSON still gets the key)
};

// The current thread's context; empty outside a request.
std::string_view currentRequestId();
std::span<const LogField> currentLogFields();

// Sets the thread's request id until the scope ends.
class RequestLogScope {
 public:
  explicit RequestLogScope(std::string_view request_id);
  ~RequestLogScope();
  RequestLogScope(const RequestLogScope&) = delete;
  RequestLogScope& operator=(const RequestLogScope&) = delete;

 private:
  std::string_view previous_;
};

// Attaches `fields` (which must outlive the scope) to the lines the thread logs until the scope ends.
class LogFieldsScope {
 public:
  explicit LogFieldsScope(std::span<const LogField> fields);
  ~LogFieldsScope();
  LogFieldsScope(const LogFieldsScope&) = delete;
  LogFieldsScope& operator=(const LogFieldsScope&) = delete;

 private:
  std::span<const LogField> previous_;
};

}  // namespace p2j::observability
