// PostgreSQL for the tests: the server scripts/test.sh starts ($P2J_TEST_POSTGRES_URL), a fresh schema per
// test on it, and servers of their own for the tests that stop and restart PostgreSQL.
#pragma once

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace p2j::testing {

// $P2J_TEST_POSTGRES_URL, or nullopt when it is unset or empty.
std::optional<std::string> testPostgresUrl();

// True when $CI is "true": there the PostgreSQL tests must run, so a missing server fails them.
bool runningInCi();

// Rows as text; NULL is "".
using Rows = std::vector<std::vector<std::string>>;

// Runs SQL over one libpq connection; throws std::runtime_error with the server's message.
class PostgresClient {
 public:
  explicit PostgresClient(const std::string& connection);
  ~PostgresClient();
  PostgresClient(const PostgresClient&) = delete;
  PostgresClient& operator=(const PostgresClient&) = delete;

  Rows query(const std::string& sql);

 private:
  struct Handle;
  Handle* handle_;
};

// A schema of its own on a server, dropped with everything in it at the end. connection() makes it the
// search_path, so a storage-postgres instance (or p2j) using it creates its tables there.
class PostgresSchema {
 public:
  explicit PostgresSchema(const std::string& server_url);
  ~PostgresSchema();
  PostgresSchema(const PostgresSchema&) = delete;
  PostgresSchema& operator=(const PostgresSchema&) = delete;

  const std::string& connection() const { return connection_; }
  Rows query(const std::string& sql);

 private:
  std::string server_url_;
  std::string name_;
  std::string connection_;
};

// A PostgreSQL server of its own (scripts/postgres-test-server.sh), for the tests that take it away.
class PostgresServer {
 public:
  PostgresServer();  // initialises and starts it; throws with the script's output when that fails
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  void start();  // same port and data as before; nothing when it runs
  void stop();   // fast shutdown; nothing when it is stopped
  const std::string& url() const { return url_; }

 private:
  TempDir dir_;
  std::string url_;
  bool running_ = false;
};

}  // namespace p2j::testing

// Skips the calling test (or SetUp) when no PostgreSQL is configured, or fails it in CI, where the
// PostgreSQL tests must run.
#define P2J_REQUIRE_POSTGRES()                                                                                   \
  do {                                                                                                           \
    if (!::p2j::testing::testPostgresUrl()) {                                                                    \
      if (::p2j::testing::runningInCi()) FAIL() << "P2J_TEST_POSTGRES_URL is not set (scripts/test.sh sets it)"; \
      GTEST_SKIP() << "P2J_TEST_POSTGRES_URL is not set: scripts/postgres-test-server.sh start DIR prints one";  \
    }                                                                                                            \
  } while (false)
