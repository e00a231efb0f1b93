#include "postgres.hpp"

#include "server_process.hpp"
#include "test_paths.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <random>
#include <stdexcept>

namespace p2j::testing {

std::optional<std::string> testPostgresUrl() {
  const char* url = std::getenv("P2J_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

bool runningInCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

struct PostgresClient::Handle {
  PGconn* connection = nullptr;
};

PostgresClient::PostgresClient(const std::string& connection) : handle_(new Handle) {
  handle_->connection = PQconnectdb(connection.c_str());
  if (PQstatus(handle_->connection) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(handle_->connection);
    PQfinish(handle_->connection);
    delete handle_;
    throw std::runtime_error("cannot connect to PostgreSQL: " + message);
  }
  PQsetNoticeProcessor(
      handle_->connection, [](void*, const char*) {}, nullptr);
}

PostgresClient::~PostgresClient() {
  PQfinish(handle_->connection);
  delete handle_;
}

Rows PostgresClient::query(const std::string& sql) {
  PGresult* result = PQexec(handle_->connection, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    const std::string message = PQresultErrorMessage(result);
    PQclear(result);
    throw std::runtime_error(sql + ": " + message);
  }
  Rows rows;
  for (int row = 0; row < PQntuples(result); ++row) {
    auto& values = rows.emplace_back();
    for (int column = 0; column < PQnfields(result); ++column) values.emplace_back(PQgetvalue(result, row, column));
  }
  PQclear(result);
  return rows;
}

namespace {

// `url` as a keyword=value connection string with `options` added (a URL cannot be extended that way).
std::string withOptions(const std::string& url, const std::string& options) {
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &error);
  if (parsed == nullptr) {
    const std::string message = error != nullptr ? error : "cannot parse";
    PQfreemem(error);
    throw std::runtime_error(url + ": " + message);
  }
  auto quoted = [](const std::string& value) {
    std::string text = "'";
    for (const char c : value) {
      if (c == '\'' || c == '\\') text += '\\';
      text += c;
    }
    return text + "'";
  };
  std::string connection;
  std::string all_options = options;
  bool gss_mode_given = false;
  for (PQconninfoOption* option = parsed; option->keyword != nullptr; ++option) {
    if (option->val == nullptr || *option->val == '\0') continue;
    if (std::string(option->keyword) == "options") {
      all_options = std::string(option->val) + " " + options;
      continue;
    }
    gss_mode_given = gss_mode_given || std::string(option->keyword) == "gssencmode";
    connection += std::string(option->keyword) + "=" + quoted(option->val) + " ";
  }
  PQconninfoFree(parsed);
  // The test servers take no GSSAPI. libpq's default (prefer) loads Kerberos to look for credentials before
  // every connection attempt, and the thread-specific data it leaves made LeakSanitizer's tracer crash at the
  // exit of the suites that try to connect while their server is down.
  if (!gss_mode_given) connection += "gssencmode='disable' ";
  return connection + "options=" + quoted(all_options);
}

}  // namespace

PostgresSchema::PostgresSchema(const std::string& server_url) : server_url_(server_url) {
  std::random_device random;
  name_ = "p2j_test_" + std::to_string(random()) + std::to_string(random());
  PostgresClient(server_url_).query("CREATE SCHEMA " + name_);
  connection_ = withOptions(server_url_, "-c search_path=" + name_);
}

PostgresSchema::~PostgresSchema() {
  try {
    PostgresClient(server_url_).query("DROP SCHEMA " + name_ + " CASCADE");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "could not drop the test schema: " << e.what();
  }
}

Rows PostgresSchema::query(const std::string& sql) { return PostgresClient(connection_).query(sql); }

namespace {

std::string script() { return std::string(kSourceDir) + "/scripts/postgres-test-server.sh"; }

}  // namespace

PostgresServer::PostgresServer() { start(); }

PostgresServer::~PostgresServer() {
  if (running_) stop();
}

void PostgresServer::start() {
  if (running_) return;
  const ProcessResult result = runProcess({"/bin/bash", script(), "start", dir_.path().string()});
  if (result.exit_code != 0) {
    throw std::runtime_error("scripts/postgres-test-server.sh start failed: " + result.out + result.err);
  }
  url_ = result.out.substr(0, result.out.find('\n'));
  running_ = true;
}

void PostgresServer::stop() {
  if (!running_) return;
  const ProcessResult result = runProcess({"/bin/bash", script(), "stop", dir_.path().string()});
  running_ = false;
  if (result.exit_code != 0) {
    throw std::runtime_error("scripts/postgres-test-server.sh stop failed: " + result.out + result.err);
  }
}

}  // namespace p2j::testing
