#pragma once

#include <stdexcept>
#include <string>

namespace p2j::config {

// A place in the configuration file, 1-based as editors show it; line 0 means "the whole file".
struct SourceMark {
  int line = 0;
  int column = 0;
};

// Any reason the configuration cannot be served. what() is "file:line:col: message", the form
// compilers use, so editors and CI logs link straight to the spot.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& file, SourceMark mark, const std::string& message)
      : std::runtime_error(format(file, mark, message)), mark_(mark), message_(message) {}

  SourceMark mark() const { return mark_; }
  const std::string& message() const { return message_; }

 private:
  static std::string format(const std::string& file, SourceMark mark, const std::string& message) {
    if (mark.line <= 0) return file + ": " + message;
    return file + ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column) + ": " + message;
  }

  SourceMark mark_;
  std::string message_;
};

}  // namespace p2j::config
