#include "group_commit_writer.hpp"

namespace p2j::storage_common {

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<Connection> connection, size_t max_batch, int checkpoint_pages)
    : connection_(std::move(connection)),
      checkpointer_(checkpoint_pages > 0 ? std::make_unique<WalCheckpointer>(*connection_, checkpoint_pages) : nullptr),
      group_([this](std::span<Write* const> writes) { commitTogether(writes); },
             // Locally a failed batch is cheap to retry, and the failure is most likely one write's constraint.
             [](const std::exception_ptr&) { return true; }, max_batch) {}

void GroupCommitWriter::commit(Write& write) {
  try {
    group_.commit(write);
  } catch (const GroupCommitStopped& e) {
    throw SqliteError(SQLITE_MISUSE, e.what());
  }
}

WalCheckpointer::Counts GroupCommitWriter::checkpoints() const {
  return checkpointer_ ? checkpointer_->counts() : WalCheckpointer::Counts{};
}

void GroupCommitWriter::commitTogether(std::span<Write* const> writes) {
  if (checkpointer_) checkpointer_->finishBetweenTransactions();
  // Prepared once: sqlite3_exec would parse the three statements again for every batch.
  connection_->prepare("BEGIN IMMEDIATE").step();
  try {
    for (Write* write : writes) write->run(write->operation, *connection_);
    connection_->prepare("COMMIT").step();
  } catch (...) {
    // Nothing of the transaction is acknowledged, so nothing of it may stay.
    sqlite3_exec(connection_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace p2j::storage_common
