#include "wal_checkpointer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

namespace p2j::storage_common {

namespace {
// PASSIVE checkpoints never wait for a lock; this only bounds opening the connection.
constexpr int kBusyTimeoutMs = 5000;
constexpr int kChunkBytes = 4 << 20;
// Frames the writer may be left to copy between two of its transactions: at most ~32 page writes (and the
// fdatasync of what they touched) in the writer's critical section.
constexpr int kMostFinishingFrames = 32;
}  // namespace

WalCheckpointer::WalCheckpointer(Connection& writer, int threshold_pages)
    : writer_(writer),
      threshold_pages_(threshold_pages),
      finish_limit_(std::clamp(threshold_pages / 8, 1, kMostFinishingFrames)),
      next_pass_at_pages_(threshold_pages) {
  // The connection's default synchronous setting (FULL) syncs the WAL before a checkpoint copies it and the
  // database before the checkpoint is recorded, as the writer's own checkpoints would.
  const char* path = sqlite3_db_filename(writer.handle(), "main");
  auto connection = std::make_unique<Connection>(path, Connection::Mode::kReadWrite, kBusyTimeoutMs);
  database_file_ = ::open(path, O_RDONLY | O_CLOEXEC);
  // Checkpoints extend the database file. Grown a chunk at a time, most checkpoints leave its size alone, and
  // their fsync then has no size change to journal (measured: 2.2 ms a finishing fsync before, under load).
  int chunk_bytes = kChunkBytes;
  sqlite3_file_control(writer_.handle(), "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk_bytes);
  sqlite3_file_control(connection->handle(), "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk_bytes);
  thread_ = std::thread([this, connection = std::move(connection)]() mutable { run(std::move(connection)); });
  sqlite3_wal_hook(writer_.handle(), &WalCheckpointer::noteCommit, this);
}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wanted_.notify_one();
  thread_.join();
  if (database_file_ >= 0) ::close(database_file_);
}

WalCheckpointer::Counts WalCheckpointer::counts() const {
  return {background_passes_.load(std::memory_order_relaxed), finished_.load(std::memory_order_relaxed),
          wal_pages_.load(std::memory_order_relaxed)};
}

// Runs in the writer's thread after each of its commits.
int WalCheckpointer::noteCommit(void* self, sqlite3*, const char*, int wal_pages) {
  auto& checkpointer = *static_cast<WalCheckpointer*>(self);
  checkpointer.wal_pages_.store(wal_pages, std::memory_order_relaxed);
  if (wal_pages < checkpointer.next_pass_at_pages_) return SQLITE_OK;
  Phase idle = Phase::kIdle;
  if (checkpointer.phase_.compare_exchange_strong(idle, Phase::kCopying, std::memory_order_acq_rel)) {
    // Taking the mutex orders the phase change before the thread's check of it under that mutex, so the
    // notification cannot fall between its check and its wait.
    { std::lock_guard lock(checkpointer.mutex_); }
    checkpointer.wanted_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::run(std::unique_ptr<Connection> connection) {
  // A connection finds the database in WAL mode, and opens the WAL, only once it reads it: until then its
  // checkpoints would copy nothing.
  connection->prepare("SELECT count(*) FROM sqlite_schema").step();
  std::unique_lock lock(mutex_);
  for (;;) {
    wanted_.wait(lock, [&] { return stopping_ || phase_.load(std::memory_order_acquire) == Phase::kCopying; });
    if (stopping_) return;
    lock.unlock();
    // Each pass copies what was committed while the one before ran, so the passes shrink; the writer finishes
    // once little is left (or after kMostPasses, should the writes outrun the copies). A pass that copied
    // nothing more means a reader holds the rest back. A failure (the disk) leaves the frames in the WAL for
    // the next pass, and the writer's commits report it.
    int copied_before = -1;
    for (int pass = 0; pass < kMostPasses; ++pass) {
      int copied_frames = 0;  // all the frames copied so far, by this pass and the ones before
      const int result =
          sqlite3_wal_checkpoint_v2(connection->handle(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, &copied_frames);
      if (result != SQLITE_OK || copied_frames == copied_before ||
          wal_pages_.load(std::memory_order_relaxed) - copied_frames <= finish_limit_)
        break;
      copied_before = copied_frames;
    }
    // SQLite fsyncs the database only in a checkpoint that copies the whole WAL, which here is the writer's:
    // flushing the copied pages now leaves that fsync only the last few. fsync acts on the file, not on the
    // descriptor; its failure is the writer's fsync's to report.
    if (database_file_ >= 0) ::fdatasync(database_file_);
    background_passes_.fetch_add(1, std::memory_order_relaxed);
    phase_.store(Phase::kFinishing, std::memory_order_release);
    lock.lock();
  }
}

void WalCheckpointer::finishBetweenTransactions() {
  if (phase_.load(std::memory_order_acquire) != Phase::kFinishing) return;
  int wal_frames = 0;
  int copied_frames = 0;
  const int result =
      sqlite3_wal_checkpoint_v2(writer_.handle(), "main", SQLITE_CHECKPOINT_PASSIVE, &wal_frames, &copied_frames);
  if (result == SQLITE_OK && copied_frames == wal_frames) {
    finished_.fetch_add(1, std::memory_order_relaxed);
    next_pass_at_pages_ = threshold_pages_;
  } else {
    // A reader holds frames back (or the disk failed): wait for another threshold's worth of frames.
    next_pass_at_pages_ = (wal_frames > 0 ? wal_frames : 0) + threshold_pages_;
  }
  phase_.store(Phase::kIdle, std::memory_order_release);
}

}  // namespace p2j::storage_common
