// Starts the real p2j binary on a free port with a given configuration and talks HTTP to it.
#pragma once

#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace p2j::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased

  std::string header(const std::string& name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// One HTTP/1.1 request on a new connection; status 0 when the connection failed.
HttpResult httpRequest(uint16_t port, const std::string& method, const std::string& path, const std::string& body = "",
                       const Headers& headers = {}, const std::string& content_type = "application/json");

// A TCP port on 127.0.0.1 nothing listens on right now.
uint16_t freePort();

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

// fork + exec of argv[0] (a path) with extra environment variables and stdin/stdout/stderr redirected to
// files; returns the child's pid, for the caller to wait for.
pid_t spawnProcess(std::vector<std::string> argv, const std::map<std::string, std::string>& env,
                   const std::filesystem::path& in, const std::filesystem::path& out, const std::filesystem::path& err);

// Runs a command to completion, with extra environment variables.
ProcessResult runProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                         const std::string& stdin_text = "");

class ServerProcess {
 public:
  // `config_yaml` is written to <dir>/p2j.yaml; P2J_DATA_DIR is <dir>/data unless `env` sets it.
  explicit ServerProcess(std::string config_yaml, std::map<std::string, std::string> env = {});
  ~ServerProcess();  // SIGKILLs a server still running

  // Runs this p2j executable instead of the one the build made (e.g. a copy elsewhere).
  void setBinary(std::filesystem::path binary) { binary_ = std::move(binary); }

  // Starts `p2j serve` and waits until it answers HTTP; throws with the server's stderr when it does not.
  void start(std::chrono::milliseconds timeout = std::chrono::milliseconds(15000));
  // Starts `p2j serve` without waiting for it to answer.
  void launch();
  // Sends `signal` and waits for the exit; returns the exit code (-1 when killed by a signal).
  int stop(int signal = 15);
  void kill9();
  bool running();
  // Waits for the server to exit by itself: its exit code (-1 when killed by a signal), or nullopt when it
  // still runs after `timeout`.
  std::optional<int> waitForExit(std::chrono::milliseconds timeout);

  HttpResult request(const std::string& method, const std::string& path, const std::string& body = "",
                     const Headers& headers = {}, const std::string& content_type = "application/json") const;

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const TempDir& dir() const { return dir_; }
  std::filesystem::path dataDir() const;
  std::string stderrText() const;
  std::string stdoutText() const;

 private:
  TempDir dir_;
  std::string config_yaml_;
  std::map<std::string, std::string> env_;
  std::filesystem::path binary_ = kP2jBinary;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace p2j::testing
