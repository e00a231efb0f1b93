// The host's loggers. Each has a name (the `logger` of its lines) and its own level (logging.levels);
// all of them but the access log write to the application log (stderr, or logging.file), the access log
// to stdout (or logging.access_file), in one format (logging.format). Lines logged while a request is
// served carry its id (see log_context.hpp). Plugins log nothing themselves: the host logs what they do.
#pragma once

#include "observability/log_settings.hpp"
#include "observability/rotating_file_sink.hpp"

#include <spdlog/logger.h>

namespace p2j::observability {

enum class Log {
  kApplication,  // "p2j": start-up, shutdown, reloads
  kAccess,       // "access": one line per request
  kHttp,         // "http": requests that failed inside the server, connections that broke
  kPlugins,      // "plugins": plugin instances that failed, refused to list, or report unhealthy
  kStorage,      // "storage": storage calls (debug: every one) and the schema check
  kAuth,         // "auth": refused credentials and tokens
};

// The logger; loggerNames() lists their names in this order.
spdlog::logger& log(Log which);

// Points every logger at its sink in the configured format and sets the levels. Call before the server's
// threads log. Throws LogFileError when a log file cannot be opened.
void setupLogging(const LogSettings& settings);

// Sets the levels only: what a configuration reload changes while requests are being logged.
void applyLogLevels(const LogSettings& settings);

}  // namespace p2j::observability
