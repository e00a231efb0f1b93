#pragma once

#include "group_commit_writer.hpp"
#include "sqlite_connection.hpp"

#include <p2j/sdk/storage.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::storage_postgres {

// Inserts acknowledged while PostgreSQL was unreachable, in a local SQLite file (WAL, synchronous=FULL,
// group commit) until they are replayed to PostgreSQL, oldest first. An entry keeps the record's id, so a
// replay that is repeated after a crash between the PostgreSQL commit and the spool delete inserts nothing
// twice.
class Spool {
 public:
  struct Entry {
    int64_t sequence = 0;  // the order the inserts were acknowledged in
    std::string collection;
    sdk::InsertedRecord identity;
    std::string record_json;  // the validated record
    // The id of the first record of the insertAll it came with, which PostgreSQL must take in one
    // transaction with it, or reject with it; empty for a record inserted alone.
    std::string batch;
  };

  // Opens or creates the file (and its directory). Throws storage_common::SqliteError.
  explicit Spool(const std::string& path);

  // A record to keep: views of what the caller holds.
  struct NewEntry {
    std::string_view collection;
    const sdk::InsertedRecord* identity;
    std::string_view record_json;  // the validated record
  };
  // Returns once the entries are committed to the file, in one transaction and in their order; several
  // entries are one batch (Entry::batch), never split by oldest().
  void append(std::span<const NewEntry> entries);
  std::optional<Entry> find(std::string_view collection, std::string_view id);
  // The oldest entries: `limit` of them, and more when the last one's batch goes on beyond it.
  std::vector<Entry> oldest(size_t limit);
  // Deletes the entries up to and including `sequence` (a prefix: they were replayed).
  void removeThrough(int64_t sequence);
  // Keeps an entry PostgreSQL refuses (say, a CHECK it violates) in the table spool_rejected instead, with
  // the reason, so it no longer holds back the entries after it; removeThrough still removes it here.
  void reject(const Entry& entry, const std::string& reason);
  int64_t rejected();
  int64_t size() const { return size_; }
  std::map<std::string, int64_t> counts();
  const std::string& path() const { return path_; }

 private:
  Entry readEntry(const storage_common::Statement& statement) const;

  std::string path_;
  std::unique_ptr<storage_common::GroupCommitWriter> writer_;
  std::mutex reader_mutex_;
  std::unique_ptr<storage_common::Connection> reader_;
  std::atomic<int64_t> size_ = 0;
};

}  // namespace p2j::storage_postgres
