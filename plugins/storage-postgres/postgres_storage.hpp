#pragma once

#include "collections.hpp"
#include "connection_pool.hpp"
#include "group_commit.hpp"
#include "spool.hpp"

#include <p2j/sdk/plugin.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace p2j::storage_postgres {

struct Settings {
  ConnectionSettings connection;
  int pool_size = 8;
  int pool_timeout_ms = 10000;
  size_t max_batch = 256;
  bool auto_migrate = false;
  std::string spool_path;
  int replay_interval_ms = 1000;

  static Settings fromJson(const rapidjson::Value& config);
};

// How the shared collection definitions are spelled in PostgreSQL: created_at is a timestamptz read back in
// the canonical text, seq numbers the rows, and an insert of an id that exists is a no-op, which is what
// makes retries and replays exactly-once.
inline constexpr storage_common::SqlDialect kPostgresDialect{
    "$", "seq", R"(to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))",
    " ON CONFLICT (id) DO NOTHING"};

// The production storage: a bounded pool of libpq connections with prepared statements. Inserts are group
// committed: while half the pool's connections are committing, the inserts arriving meanwhile share the next
// transaction, sent in one round trip. While PostgreSQL is unreachable,
// inserts go to a local spool and are acknowledged (health says degraded); a background thread replays the
// spool in order once PostgreSQL answers again.
class PostgresStorage : public sdk::Storage {
 public:
  // Each call takes its own pooled connection; the spool and the outage state have their own locks.
  static constexpr bool kThreadSafe = true;

  explicit PostgresStorage(const rapidjson::Value& config);
  ~PostgresStorage() override;

  sdk::InsertedRecord insert(std::string_view collection, const sdk::RecordToInsert& record) override;
  std::vector<sdk::InsertedRecord> insertAll(std::span<const sdk::RecordOfBatch> records) override;
  std::optional<std::string> get(std::string_view collection, std::string_view id) override;
  std::string find(std::string_view collection, const sdk::FindQuery& query) override;
  sdk::PruneResult prune(std::string_view collection, std::string_view before) override;
  std::map<std::string, int64_t> counts() override;
  sdk::MigrationReport migrate(bool apply) override;
  sdk::Health health() override;

 private:
  // Runs body on a pooled connection; an unreachable server or an exhausted pool becomes sdk::Unavailable.
  template <typename Body>
  auto withDatabase(Body&& body);
  // One record's INSERT and its values.
  struct PreparedInsert {
    const std::string* sql;
    std::vector<storage_common::SqlValue> values;
  };
  // What one caller waits on in the group commit: its records, committed together or not at all.
  struct PendingInsert {
    std::span<const PreparedInsert> records;
  };
  // A record validated and given its identity, for the spool should PostgreSQL be unreachable.
  struct SpoolableRecord {
    std::string_view collection;
    const sdk::InsertedRecord* identity;
    const sdk::RecordToInsert* record;
  };
  // Commits the records in one transaction, or spools them all when PostgreSQL is unreachable.
  void insertOrSpool(std::span<const PreparedInsert> prepared, std::span<const SpoolableRecord> spoolable);
  void commitInserts(std::span<PendingInsert* const> inserts);
  // Throws sdk::Unavailable while the schema lacks migrations, checking again when it did last time.
  void requireSchema();
  void noteSchema(const sdk::MigrationReport& report);

  bool spooling() const;
  void startSpooling(const std::string& reason);
  void spoolInserts(std::span<const SpoolableRecord> records);
  void replayLoop();
  void replaySpool();
  void replayEntry(Connection& connection, const Spool::Entry& entry);
  std::string problem() const;
  void noteProblem(const std::string& problem);

  Settings settings_;
  const storage_common::CollectionStatements insert_sql_{kPostgresDialect, &storage_common::Collection::insertSql};
  const storage_common::CollectionStatements select_sql_{kPostgresDialect, &storage_common::Collection::selectByIdSql};
  ConnectionPool pool_;
  Spool spool_;
  std::atomic<int64_t> schema_version_ = 0;
  std::atomic<bool> schema_complete_ = false;

  mutable std::mutex state_mutex_;
  bool spooling_ = false;  // inserts go to the spool, not to PostgreSQL
  std::string problem_;    // why, for health()

  // Held while a replayed batch is committed to PostgreSQL but not yet deleted from the spool, so counts()
  // never sees a record in both.
  std::mutex replay_mutex_;

  std::mutex stop_mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  std::thread replayer_;
  // Last: destroyed first, after the inserts under way are committed.
  storage_common::GroupCommit<PendingInsert> inserts_;
};

}  // namespace p2j::storage_postgres
