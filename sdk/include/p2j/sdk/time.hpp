// UTC timestamps in the one format p2j writes everywhere: 2026-11-30T12:34:56.789012Z.
#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace p2j::sdk {

namespace detail {

// Writes `value` as exactly `digits` decimal digits at `out`.
inline void writeDigits(char* out, long value, int digits) {
  for (int i = digits - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
}

}  // namespace detail

// Microseconds are the format's resolution, so this is the whole formatter; it takes any instant time_t can hold.
inline std::string formatUtcTimestamp(std::chrono::sys_time<std::chrono::microseconds> when) {
  const auto seconds_part = std::chrono::floor<std::chrono::seconds>(when);
  const std::time_t seconds = static_cast<std::time_t>(seconds_part.time_since_epoch().count());
  const long micros = static_cast<long>((when - seconds_part).count());
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  const long year = parts.tm_year + 1900L;
  if (year < 0 || year > 9999) {
    char text[64];
    std::snprintf(text, sizeof text, "%04ld-%02d-%02dT%02d:%02d:%02d.%06ldZ", year, parts.tm_mon + 1, parts.tm_mday,
                  parts.tm_hour, parts.tm_min, parts.tm_sec, micros);
    return text;
  }
  // Formatted by hand: a timestamp is written for every record and spec, and snprintf costs five times as much.
  std::string text = "0000-00-00T00:00:00.000000Z";
  detail::writeDigits(&text[0], year, 4);
  detail::writeDigits(&text[5], parts.tm_mon + 1, 2);
  detail::writeDigits(&text[8], parts.tm_mday, 2);
  detail::writeDigits(&text[11], parts.tm_hour, 2);
  detail::writeDigits(&text[14], parts.tm_min, 2);
  detail::writeDigits(&text[17], parts.tm_sec, 2);
  detail::writeDigits(&text[20], micros, 6);
  return text;
}

inline std::string formatUtcTimestamp(std::chrono::system_clock::time_point when) {
  return formatUtcTimestamp(std::chrono::floor<std::chrono::microseconds>(when));
}

inline std::string utcNow() { return formatUtcTimestamp(std::chrono::system_clock::now()); }

}  // namespace p2j::sdk
