#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
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
// while fewer than `max_concurrent` commits are under way commits at once, in its own thread; threads that
// arrive while that many are under way queue up, and when one ends the first of them commits everything
// queued, in one transaction. Alone a write costs no hand-off to another thread; under load N writes share one
// transaction (one fsync, one round trip), and each waiting thread is woken once, when its own transaction is
// committed. SQLite has one writer (max_concurrent 1); a server database takes several transactions at once,
// which keeps a write that arrives during a slow commit from waiting for two.
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

  GroupCommit(CommitTogether commit_together, RetryAlone retry_alone, size_t max_batch, size_t max_concurrent = 1)
      : commit_together_(std::move(commit_together)),
        retry_alone_(std::move(retry_alone)),
        max_batch_(std::max<size_t>(max_batch, 1)),
        max_concurrent_(std::max<size_t>(max_concurrent, 1)) {}

  // Waits for the commit under way; commits started after this are refused.
  ~GroupCommit() {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    idle_.wait(lock, [&] { return leaders_ == 0 && queue_.empty(); });
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
    while (true) {
      if (leaders_ < max_concurrent_) {
        lead(lock);
        if (ticket.finished()) break;
        continue;
      }
      // Waits on the ticket's own word, not mutex_: a follower woken while the leader still holds mutex_
      // would block on it at once and need a second wake-up.
      lock.unlock();
      if (ticket.awaitDoneOrTurn()) break;
      lock.lock();
    }
    if (ticket.error) std::rethrow_exception(ticket.error);
  }

  bool running() const {
    std::lock_guard lock(mutex_);
    return !stopping_;
  }

  // Commits queued behind the ones under way.
  size_t waiting() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

 private:
  // One caller's place in the queue, on its stack. Its state is one futex word: the owner sleeps on it and a
  // leader wakes it with one system call. A condition variable cost each follower a second sleep: signalled
  // while the leader still held the ticket's mutex (needed so the ticket outlived the signal), the woken
  // follower blocked on that mutex at once.
  struct Ticket {
    explicit Ticket(Item* committed) : item(committed) {}
    Item* item;
    std::exception_ptr error;  // written by the leader before the release store of kDone, read after it

    bool finished() const { return state.load(std::memory_order_acquire) == kDone; }
    // True when the ticket's transaction was committed; false when the thread should try to lead.
    bool awaitDoneOrTurn() {
      for (;;) {
        uint32_t seen = state.load(std::memory_order_acquire);
        if (seen == kDone) return true;
        if (seen == kTurn) {
          // Another leader may finish the ticket meanwhile (max_concurrent > 1): kDone must not be lost.
          if (state.compare_exchange_strong(seen, kWaiting, std::memory_order_acquire)) return false;
          continue;
        }
        futexWait(state, kWaiting);
      }
    }
    void finish() {
      state.store(kDone, std::memory_order_release);
      futexWakeOne(state);
    }
    void giveTurn() {
      uint32_t expected = kWaiting;
      if (state.compare_exchange_strong(expected, kTurn, std::memory_order_release)) futexWakeOne(state);
    }

   private:
    static constexpr uint32_t kWaiting = 0;
    static constexpr uint32_t kTurn = 1;  // a leader finished while this ticket was first in the queue
    static constexpr uint32_t kDone = 2;
    std::atomic<uint32_t> state{kWaiting};
    static_assert(std::atomic<uint32_t>::is_always_lock_free && sizeof(std::atomic<uint32_t>) == sizeof(uint32_t),
                  "the futex word is the atomic itself");
  };

  static void futexWait(std::atomic<uint32_t>& word, uint32_t expected) {
    // Returns at once when the word no longer holds `expected`; spurious returns are re-checked by the caller.
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, nullptr, nullptr, 0);
  }
  // The owner may see kDone and destroy the ticket before this call: a private futex wake only hashes the
  // address, never reads it, and at worst wakes a later waiter on the same stack slot, which re-checks its
  // own word.
  static void futexWakeOne(std::atomic<uint32_t>& word) {
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
  }

  // Commits the oldest queued tickets as one batch; called with the lock held and a free commit slot.
  void lead(std::unique_lock<std::mutex>& lock) {
    ++leaders_;
    std::vector<Ticket*> batch;
    std::vector<Item*> items;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      items.push_back(queue_.front()->item);
      queue_.pop_front();
    }
    lock.unlock();
    commitBatch(batch, items);
    for (Ticket* ticket : batch) ticket->finish();  // they left the queue: only their owners still see them
    lock.lock();
    --leaders_;
    if (!queue_.empty()) {
      queue_.front()->giveTurn();  // the next leader; a queued ticket lives until a leader finishes it
    } else if (stopping_ && leaders_ == 0) {
      idle_.notify_all();
    }
  }

  void commitBatch(const std::vector<Ticket*>& batch, const std::vector<Item*>& items) {
    std::exception_ptr error = attempt(items);
    if (!error) return;
    if (batch.size() == 1 || !retry_alone_(error)) {
      for (Ticket* ticket : batch) ticket->error = error;
      return;
    }
    for (size_t i = 0; i < batch.size(); ++i) batch[i]->error = attempt(std::span<Item* const>(&items[i], 1));
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
  const size_t max_concurrent_;
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::deque<Ticket*> queue_;  // guarded by mutex_
  size_t leaders_ = 0;         // guarded by mutex_: batches being committed
  bool stopping_ = false;      // guarded by mutex_
};

}  // namespace p2j::storage_common
