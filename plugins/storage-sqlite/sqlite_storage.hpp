#pragma once

#include "collections.hpp"
#include "group_commit_writer.hpp"
#include "sqlite_connection.hpp"

#include <p2j/sdk/plugin.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace p2j::storage_sqlite {

struct Settings {
  std::string path;
  bool synchronous_full = true;
  int busy_timeout_ms = 5000;
  int read_connections = 4;
  size_t max_batch = 256;
  int checkpoint_pages = 1000;  // WAL pages that start a background checkpoint; 0: SQLite's, inside a commit
  bool auto_migrate = true;

  static Settings fromJson(const rapidjson::Value& config);
};

// How the shared collection definitions are spelled in SQLite.
inline constexpr storage_common::SqlDialect kSqliteDialect{"?", "rowid", "created_at", ""};

// The embedded storage: one SQLite file in WAL mode, one writer connection with group commit, and a small
// pool of read-only connections (WAL lets readers run beside the writer).
class SqliteStorage : public sdk::Storage {
 public:
  // Writes are queued to the one writer thread, reads take a pooled connection each.
  static constexpr bool kThreadSafe = true;

  explicit SqliteStorage(const rapidjson::Value& config);

  sdk::InsertedRecord insert(std::string_view collection, const sdk::RecordToInsert& record) override;
  std::vector<sdk::InsertedRecord> insertAll(std::span<const sdk::RecordOfBatch> records) override;
  std::optional<std::string> get(std::string_view collection, std::string_view id) override;
  std::string find(std::string_view collection, const sdk::FindQuery& query) override;
  sdk::PruneResult prune(std::string_view collection, std::string_view before) override;
  std::map<std::string, int64_t> counts() override;
  sdk::MigrationReport migrate(bool apply) override;
  sdk::Health health() override;

 private:
  class ReaderLease;
  ReaderLease lease();
  // Throws sdk::Unavailable while migrations are missing (auto_migrate: false and no `p2j migrate` yet).
  void requireSchema() const;
  void noteSchema(const sdk::MigrationReport& report);
  struct PreparedInsert {
    const std::string* sql;
    std::vector<storage_common::SqlValue> values;
  };
  // Commits the inserts in one transaction of the group commit, all or none; throws as insert() does.
  void commit(std::span<const PreparedInsert> inserts);

  Settings settings_;
  const storage_common::CollectionStatements insert_sql_{kSqliteDialect, &storage_common::Collection::insertSql};
  const storage_common::CollectionStatements select_sql_{kSqliteDialect, &storage_common::Collection::selectByIdSql};
  std::atomic<int64_t> schema_version_ = 0;
  std::atomic<bool> schema_complete_ = false;
  std::unique_ptr<storage_common::GroupCommitWriter> writer_;
  std::mutex readers_mutex_;
  std::condition_variable reader_returned_;
  std::vector<std::unique_ptr<storage_common::Connection>> idle_readers_;
};

}  // namespace p2j::storage_sqlite
