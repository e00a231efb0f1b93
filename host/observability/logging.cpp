#include "observability/logging.hpp"

#include "observability/buffered_output_sink.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>

namespace p2j::observability {

void setupLogging(const std::string& level) {
  auto application = spdlog::stderr_logger_mt("p2j");
  auto access = std::make_shared<spdlog::logger>("access", std::make_shared<BufferedOutputSink>(STDOUT_FILENO));
  spdlog::register_logger(access);
  for (const auto& logger : {application, access}) {
    logger->set_formatter(std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ %n: %v",
                                                                      spdlog::pattern_time_type::utc));
  }
  spdlog::set_default_logger(application);
  spdlog::set_level(spdlog::level::from_str(level));
  // `level` is the application log's; the access log has its own switch (logging.access_log).
  access->set_level(spdlog::level::info);
  // The access log reaches stdout within a second, in blocks (BufferedOutputSink).
  spdlog::flush_every(std::chrono::seconds(1));
}

void flushLogs() {
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { logger->flush(); });
}

}  // namespace p2j::observability
