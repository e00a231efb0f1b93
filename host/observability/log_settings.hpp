// What the YAML's `logging:` section says, as the logging code takes it (docs/configuration.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::observability {

// How the log files rotate (spdlog's own sinks rotate by size or by time, never both).
struct LogRotation {
  enum class Interval { kNone, kHourly, kDaily };
  int64_t max_bytes = 100 * 1024 * 1024;  // 0: never by size
  Interval interval = Interval::kDaily;   // UTC hours or days
  int keep = 7;                           // rotated files kept
};

struct LogSettings {
  std::string level = "info";                 // every logger's, unless `levels` names it
  std::map<std::string, std::string> levels;  // logger name -> level
  bool access_log = true;
  bool json = false;                  // logging.format: json (else text)
  std::filesystem::path file;         // the application log; empty: stderr
  std::filesystem::path access_file;  // the access log; empty: stdout
  LogRotation rotation;               // of the files
};

// The host's logger names, which logging.levels accepts: p2j, access, http, plugins, storage, auth.
const std::vector<std::string>& loggerNames();

// trace, debug, info, warn, error, critical, off.
bool isLogLevel(std::string_view level);

}  // namespace p2j::observability
