#pragma once

#include "group_commit.hpp"
#include "sqlite_connection.hpp"
#include "wal_checkpointer.hpp"

#include <memory>
#include <span>
#include <type_traits>

namespace p2j::storage_common {

// SQLite allows one writer at a time, and with synchronous=FULL each commit is an fsync. So writes share
// the one writer connection through a GroupCommit: under load many writes share a transaction and its fsync,
// alone a write commits at once in the calling thread. write() returns only after the transaction holding
// its change is committed.
class GroupCommitWriter {
 public:
  // `checkpoint_pages` > 0 checkpoints through a WalCheckpointer once the WAL holds that many pages (the
  // connection must be in WAL mode); 0 leaves the checkpoints to SQLite, inside the commits.
  GroupCommitWriter(std::unique_ptr<Connection> connection, size_t max_batch, int checkpoint_pages = 0);

  // Runs `operation(Connection&)` on the writer connection inside a transaction and waits for the commit;
  // rethrows what the operation or the commit threw (then nothing of the operation is kept). A write after
  // the writer started shutting down throws SqliteError(SQLITE_MISUSE).
  template <typename Operation>
  void write(Operation&& operation) {
    using Callable = std::remove_reference_t<Operation>;
    Write write{[](void* callable, Connection& connection) { (*static_cast<Callable*>(callable))(connection); },
                static_cast<void*>(&operation)};
    commit(write);
  }
  bool running() const { return group_.running(); }
  // What the WalCheckpointer did so far (zeros without one).
  WalCheckpointer::Counts checkpoints() const;

 private:
  // One write: the caller's operation, called through a plain function pointer (no allocation per write).
  struct Write {
    void (*run)(void* operation, Connection& connection);
    void* operation;
  };

  void commit(Write& write);
  void commitTogether(std::span<Write* const> writes);

  std::unique_ptr<Connection> connection_;
  // Destroyed after group_, so no transaction runs then, and before the connection it hooks.
  std::unique_ptr<WalCheckpointer> checkpointer_;
  GroupCommit<Write> group_;
};

}  // namespace p2j::storage_common
