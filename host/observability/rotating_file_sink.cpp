#include "observability/rotating_file_sink.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace p2j::observability {
namespace {

std::filesystem::path numbered(const std::filesystem::path& path, int n) {
  return path.string() + "." + std::to_string(n);
}

}  // namespace

RotatingFileSink::RotatingFileSink(std::filesystem::path path, LogRotation rotation)
    : path_(std::move(path)), rotation_(rotation) {
  open();
}

RotatingFileSink::~RotatingFileSink() {
  if (file_ != nullptr) std::fclose(file_);
}

void RotatingFileSink::open() {
  const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) throw LogFileError(path_, "cannot write the log file " + path_.string() + ": " + std::strerror(errno));
  file_ = ::fdopen(fd, "a");
  if (file_ == nullptr) {
    const int error = errno;
    ::close(fd);
    throw LogFileError(path_, "cannot write the log file " + path_.string() + ": " + std::strerror(error));
  }
  std::error_code error;
  const auto size = std::filesystem::file_size(path_, error);
  size_ = error ? 0 : static_cast<int64_t>(size);
  if (rotation_.interval == LogRotation::Interval::kNone) return;
  auto written = std::chrono::system_clock::now();
  if (size_ > 0) {
    const auto modified = std::filesystem::last_write_time(path_, error);
    if (!error) written = std::chrono::file_clock::to_sys(modified);
  }
  next_rotation_ = nextBoundary(written);
}

std::chrono::system_clock::time_point RotatingFileSink::nextBoundary(
    std::chrono::system_clock::time_point after) const {
  if (rotation_.interval == LogRotation::Interval::kHourly) {
    return std::chrono::floor<std::chrono::hours>(after) + std::chrono::hours(1);
  }
  return std::chrono::floor<std::chrono::days>(after) + std::chrono::days(1);
}

void RotatingFileSink::rotate() {
  std::fclose(file_);
  file_ = nullptr;
  std::error_code ignored;  // a missing older file is the normal case; anything else leaves the file be
  if (rotation_.keep > 0) {
    std::filesystem::remove(numbered(path_, rotation_.keep), ignored);
    for (int n = rotation_.keep - 1; n >= 1; --n) {
      std::filesystem::rename(numbered(path_, n), numbered(path_, n + 1), ignored);
    }
    std::filesystem::rename(path_, numbered(path_, 1), ignored);
  } else {
    std::filesystem::remove(path_, ignored);
  }
  open();
}

void RotatingFileSink::sink_it_(const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t line;
  formatter_->format(msg, line);
  const auto length = static_cast<int64_t>(line.size());
  if (file_ == nullptr) open();  // a reopen after rotating failed (spdlog reported it): try again
  if (msg.time >= next_rotation_) {
    rotate();
    next_rotation_ = nextBoundary(msg.time);
  } else if (rotation_.max_bytes > 0 && size_ > 0 && size_ + length > rotation_.max_bytes) {
    rotate();
  }
  // Flushed per line, as spdlog's stdout sink is: a crash loses no line already logged.
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
  size_ += length;
}

void RotatingFileSink::flush_() {
  if (file_ != nullptr) std::fflush(file_);
}

}  // namespace p2j::observability
