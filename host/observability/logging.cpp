#include "observability/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace p2j::observability {

void setupLogging(const std::string& level) {
  auto application = spdlog::stderr_logger_mt("p2j");
  auto access = spdlog::stdout_logger_mt("access");
  for (const auto& logger : {application, access}) {
    logger->set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ %n: %v",
                                                                      spdlog::pattern_time_type::utc));
  }
  spdlog::set_default_logger(application);
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace p2j::observability
