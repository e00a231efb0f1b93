#pragma once

#include <spdlog/sinks/base_sink.h>

#include <mutex>
#include <string>

namespace p2j::observability {

// A log sink for a file descriptor that gathers lines and writes them in blocks: when 32 KiB are waiting, on
// flush() (spdlog::flush_every calls it every second), and when the sink goes away. spdlog's stdout sink
// writes and flushes every line, a system call per request under a lock every request thread shares; this one
// costs a copy under that lock. On a terminal every line is written at once, as someone is reading it.
class BufferedOutputSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit BufferedOutputSink(int fd);
  ~BufferedOutputSink() override;

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override;
  void flush_() override;

 private:
  int fd_;
  bool immediate_;
  std::string pending_;
};

}  // namespace p2j::observability
