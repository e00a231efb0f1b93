#include "group_commit_writer.hpp"

namespace p2j::storage_common {

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<Connection> connection, size_t max_batch)
    : connection_(std::move(connection)), max_batch_(max_batch), thread_([this] { run(); }) {}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_one();
  thread_.join();
}

bool GroupCommitWriter::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

void GroupCommitWriter::write(Operation operation) {
  Pending pending{std::move(operation), false, nullptr};
  std::unique_lock lock(mutex_);
  if (stopping_) throw SqliteError(SQLITE_MISUSE, "the storage is shutting down");
  queue_.push_back(&pending);
  work_ready_.notify_one();
  work_done_.wait(lock, [&] { return pending.done; });
  if (pending.error) std::rethrow_exception(pending.error);
}

void GroupCommitWriter::run() {
  std::vector<Pending*> batch;
  std::unique_lock lock(mutex_);
  while (true) {
    work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopping, and nothing is left to commit
    batch.clear();
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    commitBatch(batch);
    lock.lock();
    for (Pending* pending : batch) pending->done = true;
    work_done_.notify_all();
  }
  running_ = false;
}

void GroupCommitWriter::commitBatch(std::vector<Pending*>& batch) {
  if (const std::exception_ptr error = commitTogether(batch.data(), batch.size()); error) {
    if (batch.size() == 1) {
      batch.front()->error = error;
      return;
    }
    // One bad row must not fail its neighbours: retry each in a transaction of its own.
    for (Pending* pending : batch) pending->error = commitTogether(&pending, 1);
  }
}

std::exception_ptr GroupCommitWriter::commitTogether(Pending* const* items, size_t count) {
  try {
    connection_->execute("BEGIN IMMEDIATE");
    try {
      for (size_t i = 0; i < count; ++i) items[i]->operation(*connection_);
      connection_->execute("COMMIT");
    } catch (...) {
      // Nothing of the transaction is acknowledged, so nothing of it may stay.
      sqlite3_exec(connection_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  } catch (...) {
    return std::current_exception();
  }
  return nullptr;
}

}  // namespace p2j::storage_common
