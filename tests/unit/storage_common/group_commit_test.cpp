// The group commit both storage plugins write through: a lone write commits in its own thread, concurrent
// writes share transactions, a write returns only once its transaction is committed, and one bad write
// fails alone unless the failure is an outage.
#include "group_commit.hpp"
#include "group_commit_writer.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

namespace p2j::storage_common {
namespace {

struct Item {
  int value = 0;
  bool bad = false;
  std::atomic<bool> committed = false;
};

// Counts what the group commit asks of its "database": transactions, and the largest batch.
struct Recorder {
  std::atomic<int> transactions = 0;
  std::atomic<size_t> largest = 0;
  std::chrono::milliseconds commit_time{0};

  void commit(std::span<Item* const> items) {
    transactions++;
    size_t seen = largest.load();
    while (items.size() > seen && !largest.compare_exchange_weak(seen, items.size())) {
    }
    std::this_thread::sleep_for(commit_time);
    for (Item* item : items) {
      if (item->bad) throw std::invalid_argument("item " + std::to_string(item->value) + " is refused");
    }
    for (Item* item : items) item->committed = true;
  }
};

TEST(GroupCommitTest, ALoneCommitRunsInTheCallingThread) {
  std::thread::id committed_on;
  GroupCommit<Item> group([&](std::span<Item* const>) { committed_on = std::this_thread::get_id(); },
                          [](const std::exception_ptr&) { return true; }, 16);
  Item item;
  group.commit(item);
  EXPECT_EQ(committed_on, std::this_thread::get_id());
}

TEST(GroupCommitTest, ConcurrentCommitsShareTransactionsAndReturnOnlyOnceCommitted) {
  Recorder recorder;
  recorder.commit_time = std::chrono::milliseconds(2);
  GroupCommit<Item> group([&](std::span<Item* const> items) { recorder.commit(items); },
                          [](const std::exception_ptr&) { return true; }, 8);
  constexpr int kThreads = 24;
  constexpr int kPerThread = 20;
  std::atomic<int> returned_uncommitted = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Item item;
        item.value = t * kPerThread + i;
        group.commit(item);
        if (!item.committed) returned_uncommitted++;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(returned_uncommitted, 0);
  EXPECT_LT(recorder.transactions, kThreads * kPerThread / 2) << "the writes were not grouped";
  EXPECT_LE(recorder.largest, 8u) << "a batch exceeded max_batch";
  EXPECT_GT(recorder.largest, 1u);
}

TEST(GroupCommitTest, UpToMaxConcurrentBatchesCommitAtOnce) {
  std::atomic<int> inside = 0;
  std::atomic<int> most_inside = 0;
  GroupCommit<Item> group(
      [&](std::span<Item* const>) {
        const int now = ++inside;
        int seen = most_inside.load();
        while (now > seen && !most_inside.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        --inside;
      },
      [](const std::exception_ptr&) { return true; }, 4, /*max_concurrent=*/3);
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        Item item;
        group.commit(item);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(most_inside, 3);
}

// Holds the first transaction open until `release` so that the next commits queue up behind it and form
// one batch of known content.
class QueuedBatch {
 public:
  explicit QueuedBatch(bool retry_alone)
      : group_(
            [this](std::span<Item* const> items) {
              if (first_.exchange(false)) {
                started_.count_down();
                release_.wait();
              }
              recorder_.commit(items);
            },
            [retry_alone](const std::exception_ptr&) { return retry_alone; }, 16) {}

  // Commits `items` from threads of their own behind a held first commit; returns what each commit threw.
  std::vector<std::string> run(std::vector<Item>& items) {
    Item opener;
    std::thread first([&] { group_.commit(opener); });
    started_.wait();
    std::vector<std::string> errors(items.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < items.size(); ++i) {
      threads.emplace_back([&, i] {
        try {
          group_.commit(items[i]);
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      });
    }
    while (group_.waiting() < items.size()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    release_.count_down();
    first.join();
    for (auto& thread : threads) thread.join();
    return errors;
  }

  const Recorder& recorder() const { return recorder_; }

 private:
  Recorder recorder_;
  std::atomic<bool> first_ = true;
  std::latch started_{1};
  std::latch release_{1};
  GroupCommit<Item> group_;
};

TEST(GroupCommitTest, OneRefusedItemFailsAloneAndTheOthersCommit) {
  QueuedBatch batch(/*retry_alone=*/true);
  std::vector<Item> items(6);
  for (size_t i = 0; i < items.size(); ++i) items[i].value = static_cast<int>(i);
  items[3].bad = true;
  const auto errors = batch.run(items);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i == 3) {
      EXPECT_EQ(errors[i], "item 3 is refused");
      EXPECT_FALSE(items[i].committed);
    } else {
      EXPECT_EQ(errors[i], "") << "item " << i;
      EXPECT_TRUE(items[i].committed) << "item " << i;
    }
  }
  // The opener, the failed batch of six, and each of the six alone.
  EXPECT_EQ(batch.recorder().transactions, 1 + 1 + 6);
}

TEST(GroupCommitTest, AnOutageFailsTheWholeBatchWithoutRetryingEachItem) {
  QueuedBatch batch(/*retry_alone=*/false);
  std::vector<Item> items(5);
  for (size_t i = 0; i < items.size(); ++i) items[i].value = static_cast<int>(i);
  items[0].bad = true;
  const auto errors = batch.run(items);
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(errors[i], "item 0 is refused") << "item " << i;
    EXPECT_FALSE(items[i].committed);
  }
  EXPECT_EQ(batch.recorder().transactions, 1 + 1);
}

// The SQLite writer on a real file: what write() acknowledged is visible to another connection, and a write
// that breaks a constraint fails without taking its neighbours with it.
TEST(GroupCommitWriterTest, AcknowledgedWritesAreCommittedAndAConstraintFailsOnlyItsWrite) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "writer.db").string();
  auto connection = std::make_unique<Connection>(path, Connection::Mode::kReadWrite, 5000);
  connection->execute("PRAGMA journal_mode=WAL");
  connection->execute("CREATE TABLE t (id INTEGER PRIMARY KEY, value INTEGER NOT NULL CHECK (value >= 0))");
  GroupCommitWriter writer(std::move(connection), 64);
  Connection reader(path, Connection::Mode::kReadOnly, 5000);

  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::atomic<int> invisible = 0;
  std::atomic<int> refused = 0;
  std::vector<std::thread> threads;
  std::mutex reader_mutex;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int id = t * kPerThread + i;
        const int value = id % 50 == 7 ? -1 : id;  // every 50th write breaks the CHECK
        try {
          writer.write([&](Connection& c) {
            auto insert = c.prepare("INSERT INTO t (id, value) VALUES (?1, ?2)");
            insert.bindInt64(1, id);
            insert.bindInt64(2, value);
            insert.step();
          });
        } catch (const SqliteError&) {
          refused++;
          continue;
        }
        std::lock_guard lock(reader_mutex);
        auto select = reader.prepare("SELECT COUNT(*) FROM t WHERE id = ?1");
        select.bindInt64(1, id);
        if (!select.step() || select.int64(0) != 1) invisible++;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(invisible, 0);
  const int expected_refused = (kThreads * kPerThread + 42) / 50;  // ids 7, 57, 107, ...
  EXPECT_EQ(refused, expected_refused);
  auto count = reader.prepare("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(count.step());
  EXPECT_EQ(count.int64(0), kThreads * kPerThread - expected_refused);
}

}  // namespace
}  // namespace p2j::storage_common
