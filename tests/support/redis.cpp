#include "redis.hpp"

#include "server_process.hpp"
#include "test_paths.hpp"

#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace p2j::testing {

std::optional<std::string> testRedisUrl() {
  const char* url = std::getenv("P2J_TEST_REDIS_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

std::string uniqueRedisPrefix(const std::string& what) {
  std::random_device random;
  return "p2j-test:" + what + ":" + std::to_string(random()) + std::to_string(random()) + ":";
}

RedisServer::RedisServer() {
  start();
  std::ifstream port_file(dir_.path() / "port");
  int port = 0;
  port_file >> port;
  port_ = static_cast<uint16_t>(port);
}

RedisServer::~RedisServer() {
  try {
    resume();
    stop();
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
  }
}

std::string RedisServer::run(const std::string& command) {
  const ProcessResult result = runProcess(
      {"/bin/bash", std::string(kSourceDir) + "/scripts/redis-test-server.sh", command, dir_.path().string()});
  if (result.exit_code != 0) {
    throw std::runtime_error("scripts/redis-test-server.sh " + command + " failed: " + result.out + result.err);
  }
  return result.out.substr(0, result.out.find('\n'));
}

pid_t RedisServer::pid() { return static_cast<pid_t>(std::stol(run("pid"))); }

void RedisServer::start() {
  if (running_) return;
  url_ = run("start");
  running_ = true;
}

void RedisServer::stop() {
  if (!running_) return;
  resume();
  run("stop");
  running_ = false;
}

void RedisServer::kill() {
  if (!running_) return;
  run("kill");
  running_ = false;
  paused_ = false;
}

void RedisServer::pause() {
  if (!running_ || paused_) return;
  ::kill(pid(), SIGSTOP);
  paused_ = true;
}

void RedisServer::resume() {
  if (!paused_) return;
  ::kill(pid(), SIGCONT);
  paused_ = false;
}

}  // namespace p2j::testing
