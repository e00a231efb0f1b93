#include "app/json_lines.hpp"

#include <p2j/sdk/design_spec.hpp>
#include <p2j/sdk/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace p2j::app {
namespace {

constexpr size_t kChunkBytes = 64 * 1024;

std::runtime_error systemError(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

// Output in large writes rather than one per line: at a few microseconds a prompt, a system call per line
// would cost as much as the prompt.
class BufferedOutput {
 public:
  explicit BufferedOutput(int fd) : fd_(fd) { buffer_.reserve(2 * kChunkBytes); }
  ~BufferedOutput() {
    try {
      flush();
    } catch (const std::exception&) {
      // Reported by the explicit flush() of a run that finishes; here the run is already failing.
    }
  }
  BufferedOutput(const BufferedOutput&) = delete;
  BufferedOutput& operator=(const BufferedOutput&) = delete;

  void append(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kChunkBytes) flush();
  }
  void flush() {
    size_t written = 0;
    while (written < buffer_.size()) {
      const ssize_t n = ::write(fd_, buffer_.data() + written, buffer_.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw systemError("cannot write the results");
      written += static_cast<size_t>(n);
    }
    buffer_.clear();
  }

 private:
  int fd_;
  std::string buffer_;
};

// Lines of a file descriptor, read in large chunks. Before it waits for more input it calls `before_wait`,
// so results reach a reader that feeds prompts one at a time (a pipe from an interactive program) at once.
class LineReader {
 public:
  LineReader(int fd, BufferedOutput& output) : fd_(fd), output_(output) {}

  // The next line without its "\n" (and without a final "\r"); nullopt at the end of the input. A line longer
  // than kMaxJsonLineBytes is skipped and returned as `too_long`.
  std::optional<std::string_view> next(bool& too_long) {
    too_long = false;
    bool skipping = false;
    while (true) {
      const size_t newline = buffer_.find('\n', start_);
      if (newline != std::string::npos) {
        std::string_view line(buffer_.data() + start_, newline - start_);
        start_ = newline + 1;
        consumed_ += line.size() + 1;
        if (skipping || line.size() > kMaxJsonLineBytes) {
          too_long = true;
          return std::string_view();
        }
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return line;
      }
      if (buffer_.size() - start_ > kMaxJsonLineBytes) {  // no newline in sight: drop what is held so far
        consumed_ += buffer_.size() - start_;
        buffer_.clear();
        start_ = 0;
        skipping = true;
      }
      if (!fill()) {
        if (start_ == buffer_.size()) return std::nullopt;
        std::string_view line(buffer_.data() + start_, buffer_.size() - start_);  // the last line lacks "\n"
        consumed_ += line.size();
        start_ = buffer_.size();
        if (skipping) {
          too_long = true;
          return std::string_view();
        }
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return line;
      }
    }
  }

  // Input bytes the lines returned so far spanned.
  size_t consumed() const { return consumed_; }

 private:
  // Reads more; false at the end of the input.
  bool fill() {
    if (start_ > 0) {
      buffer_.erase(0, start_);
      start_ = 0;
    }
    output_.flush();
    const size_t held = buffer_.size();
    buffer_.resize(held + kChunkBytes);
    ssize_t n = 0;
    do {
      n = ::read(fd_, buffer_.data() + held, kChunkBytes);
    } while (n < 0 && errno == EINTR);
    if (n < 0) throw systemError("cannot read the prompts");
    buffer_.resize(held + static_cast<size_t>(n));
    return n > 0;
  }

  int fd_;
  BufferedOutput& output_;
  std::string buffer_;
  size_t start_ = 0;
  size_t consumed_ = 0;
};

// "p2j generate: [#####---------------]  25%  15000 prompts, 3 errors, 92000/s" on a terminal, redrawn at
// most ten times a second; a bar only when the input is a file whose size says how far along the run is.
class ProgressLine {
 public:
  ProgressLine(int err_fd, int in_fd) : fd_(err_fd), enabled_(::isatty(err_fd) == 1) {
    struct stat info {};
    if (enabled_ && ::fstat(in_fd, &info) == 0 && S_ISREG(info.st_mode)) {
      const off_t at = ::lseek(in_fd, 0, SEEK_CUR);
      if (at >= 0 && info.st_size > at) total_bytes_ = static_cast<size_t>(info.st_size - at);
    }
  }

  void update(size_t prompts, size_t errors, size_t bytes) {
    if (!enabled_ || prompts % 64 != 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - drawn_ < std::chrono::milliseconds(100)) return;
    drawn_ = now;
    draw(prompts, errors, bytes, false);
  }

  void finish(size_t prompts, size_t errors, size_t bytes) {
    if (enabled_) draw(prompts, errors, bytes, true);
  }

 private:
  void draw(size_t prompts, size_t errors, size_t bytes, bool last) {
    std::string text = "\rp2j generate: ";
    if (total_bytes_ > 0) {
      constexpr size_t kWidth = 20;
      const size_t percent = std::min<size_t>(100, bytes * 100 / total_bytes_);
      const size_t filled = percent * kWidth / 100;
      text += "[" + std::string(filled, '#') + std::string(kWidth - filled, '-') + "] ";
      text += (percent < 10 ? "  " : percent < 100 ? " " : "") + std::to_string(percent) + "%  ";
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    text += std::to_string(prompts) + " prompts, " + std::to_string(errors) + " errors";
    if (seconds > 0) text += ", " + std::to_string(static_cast<size_t>(prompts / seconds)) + "/s";
    text += last ? "\n" : "\x1b[K";  // erase what a longer earlier line left
    // Progress is best effort: a terminal that went away must not stop the run.
    [[maybe_unused]] const ssize_t ignored = ::write(fd_, text.data(), text.size());
  }

  int fd_;
  bool enabled_;
  size_t total_bytes_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point drawn_{};
};

}  // namespace

int generateJsonLines(const plugins::AgentPlugin& agent, const JsonLinesFiles& files) {
  BufferedOutput output(files.out);
  LineReader reader(files.in, output);
  ProgressLine progress(files.err, files.in);
  rapidjson::StringBuffer line_out;
  size_t prompts = 0;
  size_t failures = 0;
  bool too_long = false;
  while (const auto line = reader.next(too_long)) {
    if (!too_long && line->find_first_not_of(" \t") == std::string_view::npos) continue;
    line_out.Clear();
    sdk::JsonWriter writer(line_out);
    writer.StartObject();
    try {
      if (too_long) {
        throw sdk::FieldError("", "the line is longer than " + std::to_string(kMaxJsonLineBytes) + " bytes");
      }
      const rapidjson::Document input = sdk::parseJson(*line);
      if (!input.IsObject()) throw sdk::FieldError("", "each line must be a JSON object");
      if (const auto* id = sdk::findMember(input, "id")) {
        writer.Key("id");
        id->Accept(writer);
      }
      const std::string prompt = sdk::requireString(input, "prompt", "");
      const std::string spec_json = agent.generateJson(prompt);
      writer.Key("spec");
      writer.RawValue(spec_json.data(), spec_json.size(), rapidjson::kObjectType);
    } catch (const plugins::PluginCallError& e) {
      writer.Key("refused");
      writer.Bool(e.status() == P2J_REFUSED);
      writer.Key("error");
      writer.String(e.what());
      failures += e.status() == P2J_REFUSED ? 0 : 1;
    } catch (const std::exception& e) {
      writer.Key("error");
      writer.String(e.what());
      ++failures;
    }
    writer.EndObject();
    output.append({line_out.GetString(), line_out.GetSize()});
    output.append("\n");
    progress.update(++prompts, failures, reader.consumed());
  }
  output.flush();
  progress.finish(prompts, failures, reader.consumed());
  return failures == 0 ? 0 : 1;
}

}  // namespace p2j::app
