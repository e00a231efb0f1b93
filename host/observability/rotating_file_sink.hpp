// A log file rotated by size and by time, which spdlog's own sinks do only one at a time: when a line
// would take the file past `max_bytes`, or the first line of a new UTC hour or day is written, the file is
// renamed to <path>.1 (older ones shift to .2, .3, …; beyond `keep` they are deleted) and a new one begun.
// A file left by an earlier run is appended to, and rotated first if it is from an earlier period.
#pragma once

#include "observability/log_settings.hpp"

#include <spdlog/sinks/base_sink.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <stdexcept>

namespace p2j::observability {

class LogFileError : public std::runtime_error {
 public:
  LogFileError(std::filesystem::path path, const std::string& message)
      : std::runtime_error(message), path_(std::move(path)) {}
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class RotatingFileSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // Opens `path` for appending (mode 0640 when it is created); throws LogFileError naming it.
  RotatingFileSink(std::filesystem::path path, LogRotation rotation);
  ~RotatingFileSink() override;

  const std::filesystem::path& path() const { return path_; }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  void open();
  void rotate();
  std::chrono::system_clock::time_point nextBoundary(std::chrono::system_clock::time_point after) const;

  std::filesystem::path path_;
  LogRotation rotation_;
  std::FILE* file_ = nullptr;
  int64_t size_ = 0;
  std::chrono::system_clock::time_point next_rotation_ = std::chrono::system_clock::time_point::max();
};

}  // namespace p2j::observability
