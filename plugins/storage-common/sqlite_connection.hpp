#pragma once

#include "sql_value.hpp"

#include <sqlite3.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::storage_common {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// A prepared statement that resets itself when the scope that used it ends.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  ~Statement() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bindText(int index, std::string_view text);
  void bindDouble(int index, double value);
  void bindInt64(int index, int64_t value);
  void bindNull(int index);
  void bind(int index, const SqlValue& value);
  // Binds values[i] to placeholder i + 1.
  void bindAll(const std::vector<SqlValue>& values);
  bool step();  // true while there is a row
  std::string_view text(int column) const;
  int64_t int64(int column) const { return sqlite3_column_int64(statement_, column); }
  double real(int column) const { return sqlite3_column_double(statement_, column); }
  bool isNull(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_;
};

// One SQLite connection with a cache of prepared statements. Not thread-safe: each thread that uses one
// holds it exclusively (the writer thread, or a reader checked out of the pool).
class Connection {
 public:
  enum class Mode { kReadWrite, kReadOnly };
  Connection(const std::string& path, Mode mode, int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void execute(const std::string& sql);
  Statement prepare(const std::string& sql);
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace p2j::storage_common
