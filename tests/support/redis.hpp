// Redis for the tests: the server scripts/test.sh starts ($P2J_TEST_REDIS_URL), and servers of their own
// (scripts/redis-test-server.sh) for the tests that kill, pause or restart Redis.
#pragma once

#include "postgres.hpp"  // runningInCi()
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/types.h>

#include <optional>
#include <string>

namespace p2j::testing {

// $P2J_TEST_REDIS_URL, or nullopt when it is unset or empty.
std::optional<std::string> testRedisUrl();

// A key prefix no other test uses, so tests can share one Redis.
std::string uniqueRedisPrefix(const std::string& what);

// A Redis server of its own, started by the constructor; throws with the script's output when it fails.
class RedisServer {
 public:
  RedisServer();
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  void start();  // on the same port, empty; nothing when it runs
  void stop();   // SHUTDOWN NOSAVE
  void kill();   // SIGKILL, like a crash
  void pause();  // SIGSTOP: connections stay open, nothing answers
  void resume();
  const std::string& url() const { return url_; }
  uint16_t port() const { return port_; }

 private:
  std::string run(const std::string& command);
  pid_t pid();

  TempDir dir_;
  std::string url_;
  uint16_t port_ = 0;
  bool running_ = false;
  bool paused_ = false;
};

}  // namespace p2j::testing

// Skips the calling test (or SetUp) when no Redis is configured, or fails it in CI, where it must run.
#define P2J_REQUIRE_REDIS()                                                                                   \
  do {                                                                                                        \
    if (!::p2j::testing::testRedisUrl()) {                                                                    \
      if (::p2j::testing::runningInCi()) FAIL() << "P2J_TEST_REDIS_URL is not set (scripts/test.sh sets it)"; \
      GTEST_SKIP() << "P2J_TEST_REDIS_URL is not set: scripts/redis-test-server.sh start DIR prints one";     \
    }                                                                                                         \
  } while (false)
