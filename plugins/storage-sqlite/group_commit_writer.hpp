#pragma once

#include "collections.hpp"
#include "sqlite_connection.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace p2j::storage_sqlite {

// A value bound to one column of an insert.
struct BoundValue {
  ColumnType type = ColumnType::kText;
  bool is_null = true;
  std::string text;  // kText and kJson
  double real = 0;
  int64_t integer = 0;
};

struct InsertRequest {
  const Collection* collection = nullptr;
  std::string id;
  std::string created_at;
  std::vector<BoundValue> values;  // in collection->columns order
};

// SQLite allows one writer at a time, and with synchronous=FULL each commit is an fsync. So every write
// goes to this one thread, which commits whatever is queued as one transaction: under load many inserts
// share an fsync (group commit), alone an insert commits at once. insert() returns only after the
// transaction holding its row is committed.
class GroupCommitWriter {
 public:
  GroupCommitWriter(std::unique_ptr<Connection> connection, size_t max_batch);
  ~GroupCommitWriter();  // commits what is queued, then stops

  void insert(InsertRequest request);  // throws SqliteError when the commit failed
  bool running() const;

 private:
  struct Pending {
    InsertRequest request;
    bool done = false;
    std::exception_ptr error;
  };

  void run();
  void commitBatch(std::vector<Pending*>& batch);
  std::exception_ptr commitTogether(Pending* const* items, size_t count);

  std::unique_ptr<Connection> connection_;
  size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  bool running_ = true;
  std::thread thread_;
};

}  // namespace p2j::storage_sqlite
