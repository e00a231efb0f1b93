// The two line formats of every log (logging.format): `text`, for people —
//   2026-01-31T12:00:00.123456Z info access: POST /generate route=/generate status=200 … request_id=5f0c…
// and `json`, one object per line, for log shippers —
//   {"ts":"2026-01-31T12:00:00.123456Z","level":"info","logger":"access","msg":"POST /generate",
//    "request_id":"5f0c…","method":"POST","route":"/generate","status":200,…}
// Timestamps are UTC with microseconds. A line never spans lines: the text format escapes CR and LF.
#pragma once

#include <spdlog/formatter.h>

#include <memory>

namespace p2j::observability {

class TextLogFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

class JsonLogFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace p2j::observability
