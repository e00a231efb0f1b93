#pragma once

#include "sqlite_connection.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace p2j::storage_common {

// SQLite allows one writer at a time, and with synchronous=FULL each commit is an fsync. So every write
// goes to this one thread, which runs whatever is queued inside one transaction: under load many writes
// share an fsync (group commit), alone a write commits at once. write() returns only after the
// transaction holding its change is committed.
class GroupCommitWriter {
 public:
  using Operation = std::function<void(Connection&)>;

  GroupCommitWriter(std::unique_ptr<Connection> connection, size_t max_batch);
  ~GroupCommitWriter();  // commits what is queued, then stops

  // Runs `operation` on the writer connection inside a transaction and waits for the commit; rethrows
  // what the operation or the commit threw (then nothing of the operation is kept).
  void write(Operation operation);
  bool running() const;

 private:
  struct Pending {
    Operation operation;
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

}  // namespace p2j::storage_common
