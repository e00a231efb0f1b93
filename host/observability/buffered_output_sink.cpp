#include "observability/buffered_output_sink.hpp"

#include <unistd.h>

#include <cerrno>

namespace p2j::observability {
namespace {

constexpr size_t kBlockBytes = 32 * 1024;

}  // namespace

BufferedOutputSink::BufferedOutputSink(int fd) : fd_(fd), immediate_(::isatty(fd) == 1) {
  pending_.reserve(2 * kBlockBytes);
}

BufferedOutputSink::~BufferedOutputSink() {
  std::lock_guard lock(mutex_);
  flush_();
}

void BufferedOutputSink::sink_it_(const spdlog::details::log_msg& message) {
  spdlog::memory_buf_t formatted;
  formatter_->format(message, formatted);
  pending_.append(formatted.data(), formatted.size());
  if (immediate_ || pending_.size() >= kBlockBytes) flush_();
}

void BufferedOutputSink::flush_() {
  size_t written = 0;
  while (written < pending_.size()) {
    const ssize_t n = ::write(fd_, pending_.data() + written, pending_.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // a log that cannot be written is dropped, never a reason to stop serving
    written += static_cast<size_t>(n);
  }
  pending_.clear();
}

}  // namespace p2j::observability
