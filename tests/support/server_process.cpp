#include "server_process.hpp"

#include "test_paths.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace p2j::testing {
namespace {

std::string readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> environmentWith(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const std::string name = text.substr(0, text.find('='));
    if (!overrides.contains(name)) entries.push_back(text);
  }
  for (const auto& [name, value] : overrides) entries.push_back(name + "=" + value);
  return entries;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (auto& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

}  // namespace

pid_t spawnProcess(std::vector<std::string> argv, const std::map<std::string, std::string>& env,
                   const std::filesystem::path& in, const std::filesystem::path& out,
                   const std::filesystem::path& err) {
  auto env_strings = environmentWith(env);
  auto argv_pointers = pointers(argv);
  auto env_pointers = pointers(env_strings);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int in_fd = open(in.c_str(), O_RDONLY);
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(argv_pointers[0], argv_pointers.data(), env_pointers.data());
    _exit(127);
  }
  return pid;
}

std::string HttpResult::header(const std::string& name) const {
  std::string lowered = name;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), ::tolower);
  auto it = headers.find(lowered);
  return it == headers.end() ? std::string() : it->second;
}

HttpResult httpRequest(uint16_t port, const std::string& method, const std::string& path, const std::string& body,
                       const Headers& headers, const std::string& content_type) {
  HttpResult result;
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.add(name, value);
    if (!body.empty() || method == "POST") {
      if (!content_type.empty()) request.setContentType(content_type);
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    result.status = static_cast<int>(response.getStatus());
    for (const auto& [name, value] : response) {
      std::string lowered = name;
      std::transform(lowered.begin(), lowered.end(), lowered.begin(), ::tolower);
      result.headers[lowered] = value;
    }
    Poco::StreamCopier::copyToString(in, result.body);
  } catch (const Poco::Exception&) {
    result.status = 0;
  }
  return result;
}

uint16_t freePort() {
  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
  return socket.address().port();
}

ProcessResult runProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                         const std::string& stdin_text) {
  TempDir dir;
  const auto in = dir.write("stdin", stdin_text);
  const pid_t pid = spawnProcess(argv, env, in, dir.path() / "stdout", dir.path() / "stderr");
  int status = 0;
  waitpid(pid, &status, 0);
  ProcessResult result;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.out = readFile(dir.path() / "stdout");
  result.err = readFile(dir.path() / "stderr");
  return result;
}

ServerProcess::ServerProcess(std::string config_yaml, std::map<std::string, std::string> env)
    : config_yaml_(std::move(config_yaml)), env_(std::move(env)) {
  if (!env_.contains("P2J_DATA_DIR")) env_["P2J_DATA_DIR"] = (dir_.path() / "data").string();
  dir_.write("p2j.yaml", config_yaml_);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) kill9();
}

std::filesystem::path ServerProcess::dataDir() const { return env_.at("P2J_DATA_DIR"); }

void ServerProcess::launch() {
  if (port_ == 0) port_ = freePort();
  const auto in = dir_.write("stdin", "");
  pid_ = spawnProcess({binary_.string(), "serve", "--config", (dir_.path() / "p2j.yaml").string(), "--listen",
                       "127.0.0.1:" + std::to_string(port_)},
                      env_, in, dir_.path() / "stdout", dir_.path() / "stderr");
}

void ServerProcess::start(std::chrono::milliseconds timeout) {
  launch();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (httpRequest(port_, "GET", "/livez").status != 0) return;  // any answer: it listens (even without /livez)
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("p2j exited during start-up: " + stderrText());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill9();
  throw std::runtime_error("p2j did not answer HTTP in time: " + stderrText());
}

int ServerProcess::stop(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ServerProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

bool ServerProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

std::optional<int> ServerProcess::waitForExit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pid_ > 0) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

HttpResult ServerProcess::request(const std::string& method, const std::string& path, const std::string& body,
                                  const Headers& headers, const std::string& content_type) const {
  return httpRequest(port_, method, path, body, headers, content_type);
}

std::string ServerProcess::stderrText() const { return readFile(dir_.path() / "stderr"); }
std::string ServerProcess::stdoutText() const { return readFile(dir_.path() / "stdout"); }

}  // namespace p2j::testing
