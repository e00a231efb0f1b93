#pragma once

#include <string>

namespace p2j::observability {

// Application log to stderr, access log ("access" logger) to stdout, UTC ISO timestamps.
void setupLogging(const std::string& level);

}  // namespace p2j::observability
