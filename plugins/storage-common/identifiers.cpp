#include "identifiers.hpp"

#include <cctype>
#include <cstdio>

namespace p2j::storage_common {

std::optional<std::string> canonicalUuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string canonical(text);
  for (size_t i = 0; i < canonical.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    const auto c = static_cast<unsigned char>(canonical[i]);
    if (dash_position ? c != '-' : !std::isxdigit(c)) return std::nullopt;
    canonical[i] = static_cast<char>(std::tolower(c));
  }
  return canonical;
}

namespace {

// Reads `count` digits at `position` as a number; false when any is not a digit.
bool readDigits(std::string_view text, size_t position, size_t count, int& value) {
  if (position + count > text.size()) return false;
  value = 0;
  for (size_t i = position; i < position + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

bool isLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

}  // namespace

std::optional<std::string> canonicalUtcTimestamp(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!readDigits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' || !readDigits(text, 5, 2, month) ||
      text[7] != '-' || !readDigits(text, 8, 2, day) || text[10] != 'T' || !readDigits(text, 11, 2, hour) ||
      text[13] != ':' || !readDigits(text, 14, 2, minute) || text[16] != ':' || !readDigits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  size_t position = 19;
  int micros = 0;
  if (position < text.size() && text[position] == '.') {
    ++position;
    int digits = 0;
    while (position < text.size() && std::isdigit(static_cast<unsigned char>(text[position]))) {
      if (digits < 6) micros = micros * 10 + (text[position] - '0');
      ++digits;
      ++position;
    }
    if (digits == 0 || digits > 9) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  const std::string_view zone = text.substr(position);
  if (zone != "Z" && zone != "+00:00") return std::nullopt;
  char canonical[128];
  std::snprintf(canonical, sizeof canonical, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", year, month, day, hour, minute,
                second, micros);
  return canonical;
}

}  // namespace p2j::storage_common
