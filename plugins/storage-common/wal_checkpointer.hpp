#pragma once

#include "sqlite_connection.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

namespace p2j::storage_common {

// Checkpoints a WAL-mode database mostly outside the writer's commits. SQLite's automatic checkpoint runs
// inside the commit that crosses its threshold: it copies the whole WAL into the database and fsyncs it while
// every write queued behind that commit waits, and under load those commits set the p99 latency.
//
// Here a thread of its own copies the WAL with a PASSIVE checkpoint while the writer goes on committing. Such
// a checkpoint cannot finish under continuous writes (new frames arrive while it copies), and SQLite restarts
// the WAL from its start only once a checkpoint has copied all of it; so the writer, between two of its
// transactions, then runs a second PASSIVE checkpoint that copies only the frames committed since, and its
// next transaction restarts the WAL. The WAL stays near `threshold_pages` pages, and no commit copies more
// than what the background pass left.
//
// Pages a reader still needs are not copied (PASSIVE never waits); the next pass is then due only
// `threshold_pages` pages later, so a long read costs one pass per threshold, not one per commit.
class WalCheckpointer {
 public:
  // Hooks `writer` (sqlite3_wal_hook, which also turns SQLite's automatic checkpoint off), which must outlive
  // this object, and opens a connection of its own to the same database. No transaction may run on `writer`
  // while this is constructed or destroyed.
  WalCheckpointer(Connection& writer, int threshold_pages);
  // Stops the thread; what the WAL still holds is checkpointed by SQLite when the last connection closes.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Called by the writer between its transactions: copies what the background pass left, when one has ended.
  // A no-op (one atomic load) otherwise.
  void finishBetweenTransactions();

  struct Counts {
    int64_t background_passes = 0;
    int64_t finished = 0;   // finishing checkpoints that copied the whole WAL (so the next write restarts it)
    int64_t wal_pages = 0;  // the WAL's frames after the writer's last commit
  };
  Counts counts() const;

 private:
  enum class Phase : uint8_t { kIdle, kCopying, kFinishing };

  static int noteCommit(void* self, sqlite3* connection, const char* database, int wal_pages);
  void run(std::unique_ptr<Connection> connection);

  Connection& writer_;
  const int threshold_pages_;
  // The frames a finishing checkpoint in the writer may be left to copy, and the passes that try to get there.
  const int finish_limit_;
  static constexpr int kMostPasses = 8;
  std::atomic<int> wal_pages_ = 0;  // the WAL's size after the writer's last commit
  int database_file_ = -1;          // the database opened read-only, for fdatasync
  // Read and written by the writer's thread only: the WAL size that starts the next background pass.
  int next_pass_at_pages_;
  std::atomic<Phase> phase_ = Phase::kIdle;
  std::atomic<int64_t> background_passes_ = 0;
  std::atomic<int64_t> finished_ = 0;
  std::mutex mutex_;
  std::condition_variable wanted_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace p2j::storage_common
