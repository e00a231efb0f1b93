#pragma once

#include "sql_value.hpp"

#include <libpq-fe.h>

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace p2j::storage_postgres {

// The server cannot be reached or the connection broke: the statement may be retried on a new connection.
class ConnectionLost : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The server refused a statement; `state` is its SQLSTATE (e.g. "23505").
class QueryError : public std::runtime_error {
 public:
  QueryError(std::string state, const std::string& message) : std::runtime_error(message), state_(std::move(state)) {}
  const std::string& state() const { return state_; }
  // A refusal that says nothing about the statement itself (a timeout, a deadlock, an overloaded server):
  // the same statement may succeed later.
  bool transient() const;
  // The values are what the server refuses (a data exception or a violated constraint, e.g. a CHECK): the
  // same statement will never succeed.
  bool rejectsData() const { return state_.starts_with("22") || state_.starts_with("23"); }

 private:
  std::string state_;
};

// One statement's result, freed with it. Values are in libpq's text format.
class Result {
 public:
  explicit Result(PGresult* result) : result_(result) {}
  ~Result() { PQclear(result_); }
  Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result& operator=(Result&&) = delete;

  int rows() const { return PQntuples(result_); }
  bool isNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
  std::string_view text(int row, int column) const {
    return {PQgetvalue(result_, row, column), static_cast<size_t>(PQgetlength(result_, row, column))};
  }
  int64_t int64(int row, int column) const;
  double real(int row, int column) const;
  int64_t affectedRows() const;

 private:
  PGresult* result_;
};

// One row of a Result, in the shape storage_common::writeRecord reads.
class ResultRow {
 public:
  ResultRow(const Result& result, int row) : result_(result), row_(row) {}
  bool isNull(int column) const { return result_.isNull(row_, column); }
  std::string_view text(int column) const { return result_.text(row_, column); }
  int64_t int64(int column) const { return result_.int64(row_, column); }
  double real(int column) const { return result_.real(row_, column); }

 private:
  const Result& result_;
  int row_;
};

// One statement of a pipelined transaction: `sql` as a prepared statement, with $1.. bound to `parameters`.
struct PipelinedStatement {
  const std::string* sql;
  const std::vector<storage_common::SqlValue>* parameters;
};

struct ConnectionSettings {
  std::string connection;  // a libpq connection string or URI
  int connect_timeout_seconds = 5;
  int statement_timeout_ms = 10000;
};

// One libpq connection and the statements prepared on it. Not thread-safe: the pool lends it to one caller
// at a time.
class Connection {
 public:
  // Throws ConnectionLost when the server cannot be reached or refuses the login.
  explicit Connection(const ConnectionSettings& settings);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `sql`, which may hold several statements, without parameters (migrations, BEGIN, COMMIT).
  Result execute(const std::string& sql);
  // Runs `sql` as a statement prepared once per connection, with $1.. bound to `parameters`.
  Result run(const std::string& sql, const std::vector<storage_common::SqlValue>& parameters);
  // Runs the statements in one transaction and one round trip (libpq's pipeline mode: BEGIN, the statements,
  // COMMIT, then a sync), and returns once the COMMIT is acknowledged. Throws what run() throws, for the first
  // statement that failed; then nothing of them is committed.
  void runInTransaction(std::span<const PipelinedStatement> statements);

  bool broken() const { return poisoned_ || PQstatus(connection_) != CONNECTION_OK; }
  bool inTransaction() const { return PQtransactionStatus(connection_) != PQTRANS_IDLE; }

 private:
  Result check(PGresult* result);
  // The name of `sql` prepared on this connection, preparing it the first time.
  const std::string& preparedName(const std::string& sql);
  // Reads the results of a sent pipeline of `commands` commands and its sync, and leaves pipeline mode.
  void finishPipeline(size_t commands);

  PGconn* connection_ = nullptr;
  bool poisoned_ = false;  // a pipeline went wrong half-way: the connection's state is unknown
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
};

}  // namespace p2j::storage_postgres
