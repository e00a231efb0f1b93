// Reading samples back from p2j's /metrics answer (Prometheus text exposition format).
#pragma once

#include <optional>
#include <sstream>
#include <string>

namespace p2j::testing {

// The value of the exposition line `series` (name and labels exactly as the server writes them, labels in
// alphabetical order), or nullopt when no line has it.
inline std::optional<double> seriesValue(const std::string& exposition, const std::string& series) {
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return std::nullopt;
}

}  // namespace p2j::testing
