#include "observability/logging.hpp"

#include "observability/log_format.hpp"
#include "observability/rotating_file_sink.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>

namespace p2j::observability {
namespace {

constexpr size_t kLoggers = 6;

struct Loggers {
  std::array<std::shared_ptr<spdlog::logger>, kLoggers> all;

  // Before setupLogging (the offline commands, the unit tests) everything goes to stderr as text.
  Loggers() {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    sink->set_formatter(std::make_unique<TextLogFormatter>());
    for (size_t i = 0; i < kLoggers; ++i) all[i] = std::make_shared<spdlog::logger>(loggerNames()[i], sink);
    spdlog::set_default_logger(all[0]);
  }
};

Loggers& loggers() {
  static Loggers instance;
  return instance;
}

std::shared_ptr<spdlog::sinks::sink> fileOr(const std::filesystem::path& file, const LogRotation& rotation,
                                            std::shared_ptr<spdlog::sinks::sink> console) {
  if (file.empty()) return console;
  return std::make_shared<RotatingFileSink>(file, rotation);
}

}  // namespace

spdlog::logger& log(Log which) { return *loggers().all[static_cast<size_t>(which)]; }

const std::vector<std::string>& loggerNames() {
  static const std::vector<std::string> names = {"p2j", "access", "http", "plugins", "storage", "auth"};
  return names;
}

bool isLogLevel(std::string_view level) {
  for (std::string_view name : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
    if (level == name) return true;
  }
  return false;
}

void setupLogging(const LogSettings& settings) {
  auto application = fileOr(settings.file, settings.rotation, std::make_shared<spdlog::sinks::stderr_sink_mt>());
  // One file written by two sinks would interleave partial lines and rotate twice: share the sink.
  auto access =
      !settings.access_file.empty() && settings.access_file == settings.file
          ? application
          : fileOr(settings.access_file, settings.rotation, std::make_shared<spdlog::sinks::stdout_sink_mt>());
  for (const auto& sink : {application, access}) {
    if (settings.json) {
      sink->set_formatter(std::make_unique<JsonLogFormatter>());
    } else {
      sink->set_formatter(std::make_unique<TextLogFormatter>());
    }
  }
  auto& all = loggers().all;
  for (size_t i = 0; i < kLoggers; ++i) {
    all[i]->sinks() = {static_cast<Log>(i) == Log::kAccess ? access : application};
  }
  applyLogLevels(settings);
}

void applyLogLevels(const LogSettings& settings) {
  auto& all = loggers().all;
  for (size_t i = 0; i < kLoggers; ++i) {
    const auto named = settings.levels.find(loggerNames()[i]);
    const std::string& level = named != settings.levels.end() ? named->second : settings.level;
    all[i]->set_level(spdlog::level::from_str(level));
  }
}

}  // namespace p2j::observability
