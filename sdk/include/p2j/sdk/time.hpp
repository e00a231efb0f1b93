// UTC timestamps in the one format p2j writes everywhere: 2026-11-30T12:34:56.789012Z.
#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace p2j::sdk {

inline std::string formatUtcTimestamp(std::chrono::system_clock::time_point when) {
  const auto since_epoch = std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(since_epoch.count() / 1000000);
  const long micros = static_cast<long>(since_epoch.count() % 1000000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", parts.tm_year + 1900, parts.tm_mon + 1,
                parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, micros);
  return text;
}

inline std::string utcNow() { return formatUtcTimestamp(std::chrono::system_clock::now()); }

}  // namespace p2j::sdk
