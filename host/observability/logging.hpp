#pragma once

#include <string>

namespace p2j::observability {

// Application log to stderr at `level`, access log ("access" logger, info) to stdout in blocks written at
// least every second, UTC ISO timestamps.
void setupLogging(const std::string& level);
// Writes what the loggers hold: at the end of a drain, so no access log line outlives the process.
void flushLogs();

}  // namespace p2j::observability
