#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <span>
#include <stdexcept>
#include <vector>

namespace p2j::storage_common {

// Thrown by GroupCommit::commit() once the group commit is being destroyed.
class GroupCommitStopped : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Group commit without a writer thread (the leader/follower scheme of database logs): a thread that commits
// while no commit is under way commits at once, in its own thread; threads that arrive meanwhile queue up,
// and when the commit ends the first of them commits everything queued, in one transaction. Alone a write
// costs no hand-off to another thread; under load N writes share one transaction (one fsync, one round
// trip), and each waiting thread is woken once, when its own transaction is committed.
//
// `Item` is what one caller commits; `commit_together` commits a batch of them in one transaction, all or
// none: it throws to commit none. When a batch fails and `retry_alone` says the failure may be one item's
// (a constraint, not an outage), each item is committed in a transaction of its own, so one bad item does
// not fail its neighbours.
template <typename Item>
class GroupCommit {
 public:
  using CommitTogether = std::function<void(std::span<Item* const> items)>;
  using RetryAlone = std::function<bool(const std::exception_ptr& error)>;

  GroupCommit(CommitTogether commit_together, RetryAlone retry_alone, size_t max_batch)
      : commit_together_(std::move(commit_together)),
        retry_alone_(std::move(retry_alone)),
        max_batch_(max_batch == 0 ? 1 : max_batch) {}

  // Waits for the commit under way; commits started after this are refused.
  ~GroupCommit() {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    idle_.wait(lock, [&] { return !leading_ && queue_.empty(); });
  }

  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Returns once the transaction holding `item` is committed; rethrows what failed it (then nothing of it
  // is kept).
  void commit(Item& item) {
    Ticket ticket(&item);
    std::unique_lock lock(mutex_);
    if (stopping_) throw GroupCommitStopped("the storage is shutting down");
    queue_.push_back(&ticket);
    while (!ticket.done) {
      if (leading_) {
        ticket.wake.wait(lock);
      } else {
        lead(lock);
      }
    }
    if (ticket.error) std::rethrow_exception(ticket.error);
  }

  bool running() const {
    std::lock_guard lock(mutex_);
    return !stopping_;
  }

  // Commits queued behind the one under way.
  size_t waiting() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

 private:
  struct Ticket {
    explicit Ticket(Item* committed) : item(committed) {}
    Item* item;
    bool done = false;
    std::exception_ptr error;
    std::condition_variable wake;
  };

  // Commits the oldest queued tickets as one batch; called with the lock held and no leader.
  void lead(std::unique_lock<std::mutex>& lock) {
    leading_ = true;
    batch_.clear();
    items_.clear();
    while (!queue_.empty() && batch_.size() < max_batch_) {
      batch_.push_back(queue_.front());
      items_.push_back(queue_.front()->item);
      queue_.pop_front();
    }
    lock.unlock();
    commitBatch();
    lock.lock();
    for (Ticket* ticket : batch_) {
      ticket->done = true;
      ticket->wake.notify_one();  // under the lock: the ticket lives until its thread holds the lock again
    }
    leading_ = false;
    if (!queue_.empty()) {
      queue_.front()->wake.notify_one();  // the next leader
    } else if (stopping_) {
      idle_.notify_all();
    }
  }

  void commitBatch() {
    std::exception_ptr error = attempt(items_);
    if (!error) return;
    if (batch_.size() == 1 || !retry_alone_(error)) {
      for (Ticket* ticket : batch_) ticket->error = error;
      return;
    }
    for (size_t i = 0; i < batch_.size(); ++i) batch_[i]->error = attempt(std::span<Item* const>(&items_[i], 1));
  }

  std::exception_ptr attempt(std::span<Item* const> items) {
    try {
      commit_together_(items);
      return nullptr;
    } catch (...) {
      return std::current_exception();
    }
  }

  const CommitTogether commit_together_;
  const RetryAlone retry_alone_;
  const size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::deque<Ticket*> queue_;  // guarded by mutex_
  bool leading_ = false;       // guarded by mutex_: a batch is being committed
  bool stopping_ = false;      // guarded by mutex_
  // Only the leader touches these, outside the lock: the batch being committed.
  std::vector<Ticket*> batch_;
  std::vector<Item*> items_;
};

}  // namespace p2j::storage_common
