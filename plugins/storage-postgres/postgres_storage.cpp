#include "postgres_storage.hpp"

#include "identifiers.hpp"
#include "migrations.hpp"

#include <p2j/sdk/time.hpp>
#include <p2j/sdk/uuid.hpp>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>

namespace p2j::storage_postgres {

using std::chrono::milliseconds;

namespace {

// Records replayed in one PostgreSQL transaction.
constexpr size_t kReplayBatch = 256;

// Beside the data, the way the host places its own files: $P2J_DATA_DIR, else ./data.
std::string defaultSpoolPath() {
  const char* data_dir = std::getenv("P2J_DATA_DIR");
  const std::filesystem::path dir = data_dir != nullptr && *data_dir != '\0' ? data_dir : "data";
  return (std::filesystem::absolute(dir) / "postgres-spool.db").lexically_normal().string();
}

int integerSetting(const rapidjson::Value& config, const char* key, int fallback) {
  return static_cast<int>(sdk::optionalInteger(config, key, "").value_or(fallback));
}

// Records are validated before they reach PostgreSQL, so a refusal is rare; its text (which quotes the
// values) is for the operator, not for the client the host shows InvalidInput messages to.
sdk::InvalidInput refusedValues(const QueryError& e) {
  return sdk::InvalidInput(std::string("the database refused the values (SQLSTATE ") + e.state() + ")");
}

// Runs body() with the database's failures as the SDK's: unreachable, busy or timed out is Unavailable (the
// host answers 503 and the client may retry), values PostgreSQL refuses are InvalidInput, and any other
// refusal is a bug, reported as an internal error.
template <typename Body>
auto unavailableWhenUnreachable(Body&& body) {
  try {
    return body();
  } catch (const ConnectionLost& e) {
    throw sdk::Unavailable(e.what());
  } catch (const ConnectionPool::PoolExhausted& e) {
    throw sdk::Unavailable(e.what());
  } catch (const QueryError& e) {
    if (e.transient()) throw sdk::Unavailable(std::string("PostgreSQL: ") + e.what());
    if (e.rejectsData()) throw refusedValues(e);
    throw std::runtime_error(std::string("PostgreSQL (SQLSTATE ") + e.state() + "): " + e.what());
  }
}

}  // namespace

Settings Settings::fromJson(const rapidjson::Value& config) {
  Settings settings;
  settings.connection.connection = sdk::requireString(config, "connection", "");
  settings.connection.connect_timeout_seconds = integerSetting(config, "connect_timeout_seconds", 5);
  settings.connection.statement_timeout_ms = integerSetting(config, "statement_timeout_ms", 10000);
  settings.pool_size = integerSetting(config, "pool_size", 8);
  settings.pool_timeout_ms = integerSetting(config, "pool_timeout_ms", 10000);
  settings.max_batch = static_cast<size_t>(integerSetting(config, "max_batch", 256));
  if (const auto* auto_migrate = sdk::findMember(config, "auto_migrate"))
    settings.auto_migrate = auto_migrate->IsTrue();
  settings.spool_path = sdk::optionalString(config, "spool_path", "").value_or(defaultSpoolPath());
  settings.replay_interval_ms = integerSetting(config, "replay_interval_ms", 1000);
  return settings;
}

PostgresStorage::PostgresStorage(const rapidjson::Value& config)
    : settings_(Settings::fromJson(config)),
      pool_(settings_.connection, settings_.pool_size, milliseconds(settings_.pool_timeout_ms)),
      spool_(settings_.spool_path),
      inserts_([this](std::span<PendingInsert* const> inserts) { commitInserts(inserts); },
               // A batch is retried one caller's records at a time only when PostgreSQL refused values: after an
               // outage or a timeout each retry would wait as long again, and the inserts go to the spool instead.
               [](const std::exception_ptr& error) {
                 try {
                   std::rethrow_exception(error);
                 } catch (const QueryError& e) {
                   return e.rejectsData();
                 } catch (...) {
                   return false;
                 }
               },
               settings_.max_batch,
               // PostgreSQL commits several transactions at once (and flushes their WAL together); half the pool
               // stays free for reads.
               static_cast<size_t>(std::max(1, settings_.pool_size / 2))) {
  try {
    noteSchema(pool_.run(
        [&](Connection& connection) { return storage_postgres::migrate(connection, settings_.auto_migrate); }));
  } catch (const ConnectionLost& e) {
    // Not a reason to refuse to start: inserts go to the spool until PostgreSQL answers, and the replayer
    // checks the schema before it replays anything.
    startSpooling(e.what());
  }
  if (spool_.size() > 0) startSpooling("records of an earlier outage are waiting in the spool");
  replayer_ = std::thread([this] { replayLoop(); });
}

PostgresStorage::~PostgresStorage() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  replayer_.join();
}

void PostgresStorage::noteSchema(const sdk::MigrationReport& report) {
  schema_version_ = report.version;
  schema_complete_ = report.missing.empty();
}

void PostgresStorage::requireSchema() {
  if (schema_complete_) return;
  noteSchema(pool_.run([](Connection& connection) { return storage_postgres::migrate(connection, false); }));
  if (!schema_complete_) throw sdk::Unavailable("the PostgreSQL database lacks migrations: run `p2j migrate`");
}

bool PostgresStorage::spooling() const {
  std::lock_guard lock(state_mutex_);
  return spooling_;
}

void PostgresStorage::startSpooling(const std::string& reason) {
  std::lock_guard lock(state_mutex_);
  spooling_ = true;
  problem_ = reason;
}

std::string PostgresStorage::problem() const {
  std::lock_guard lock(state_mutex_);
  return problem_;
}

void PostgresStorage::noteProblem(const std::string& problem) {
  std::lock_guard lock(state_mutex_);
  problem_ = problem;
}

sdk::InsertedRecord PostgresStorage::insert(std::string_view collection_name, const sdk::RecordToInsert& record) {
  const auto& collection = storage_common::findCollection(collection_name);
  storage_common::validateRecord(collection, record);
  const sdk::InsertedRecord identity{sdk::timeOrderedUuid(), sdk::utcNow()};
  const PreparedInsert prepared{&insert_sql_[collection], collection.insertValues(identity, record)};
  const SpoolableRecord spoolable{collection.name, &identity, &record};
  insertOrSpool({&prepared, 1}, {&spoolable, 1});
  return identity;
}

std::vector<sdk::InsertedRecord> PostgresStorage::insertAll(std::span<const sdk::RecordOfBatch> records) {
  // Reserved once: the later records' resolved references and the spoolable records point into it.
  std::vector<sdk::InsertedRecord> identities;
  identities.reserve(records.size());
  std::deque<sdk::RecordToInsert> validated;  // a deque: the spoolable records point at them
  std::vector<PreparedInsert> prepared;
  std::vector<SpoolableRecord> spoolable;
  prepared.reserve(records.size());
  spoolable.reserve(records.size());
  for (const sdk::RecordOfBatch& batch_record : records) {
    const auto& collection = storage_common::findCollection(batch_record.collection);
    const sdk::RecordToInsert& record = validated.emplace_back(sdk::resolveRecordIds(batch_record.fields, identities));
    storage_common::validateRecord(collection, record);
    const sdk::InsertedRecord& identity =
        identities.emplace_back(sdk::InsertedRecord{sdk::timeOrderedUuid(), sdk::utcNow()});
    prepared.push_back({&insert_sql_[collection], collection.insertValues(identity, record)});
    spoolable.push_back({collection.name, &identity, &record});
  }
  if (!prepared.empty()) insertOrSpool(prepared, spoolable);
  return identities;
}

void PostgresStorage::insertOrSpool(std::span<const PreparedInsert> prepared,
                                    std::span<const SpoolableRecord> spoolable) {
  if (!spooling()) {
    try {
      requireSchema();
      PendingInsert pending{prepared};
      inserts_.commit(pending);
      return;
    } catch (const ConnectionLost& e) {
      startSpooling(e.what());
    } catch (const QueryError& e) {
      if (e.rejectsData()) throw refusedValues(e);
      if (!e.transient()) throw std::runtime_error(std::string("PostgreSQL (SQLSTATE ") + e.state() + "): " + e.what());
      startSpooling(std::string("PostgreSQL: ") + e.what());
    } catch (const ConnectionPool::PoolExhausted& e) {
      // A busy server is no outage: spooling would only queue the load up for later.
      throw sdk::Unavailable(e.what());
    } catch (const storage_common::GroupCommitStopped& e) {
      throw sdk::Unavailable(e.what());
    }
  }
  spoolInserts(spoolable);
}

void PostgresStorage::commitInserts(std::span<PendingInsert* const> inserts) {
  std::vector<PipelinedStatement> statements;
  size_t count = 0;
  for (const PendingInsert* insert : inserts) count += insert->records.size();
  statements.reserve(count);
  for (const PendingInsert* insert : inserts) {
    for (const PreparedInsert& record : insert->records) statements.push_back({record.sql, &record.values});
  }
  // Repeatable on a new connection: ON CONFLICT (id) DO NOTHING makes a batch whose COMMIT went through
  // unseen insert nothing twice.
  pool_.run([&](Connection& connection) { connection.runInTransaction(statements); });
}

void PostgresStorage::spoolInserts(std::span<const SpoolableRecord> records) {
  std::vector<Spool::NewEntry> entries;
  entries.reserve(records.size());
  for (const SpoolableRecord& record : records) {
    entries.push_back({record.collection, record.identity, record.record->text()});
  }
  try {
    spool_.append(entries);
  } catch (const storage_common::SqliteError& e) {
    noteProblem(std::string("the spool failed: ") + e.what());
    throw sdk::Unavailable("PostgreSQL is unreachable and the spool " + spool_.path() + " failed: " + e.what());
  }
}

std::optional<std::string> PostgresStorage::get(std::string_view collection_name, std::string_view id_text) {
  const auto& collection = storage_common::findCollection(collection_name);
  const auto id = storage_common::canonicalUuid(id_text);
  if (!id) return std::nullopt;
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  // The spool first: the replayer deletes an entry only after PostgreSQL committed it, so a record missing
  // here is either in PostgreSQL already or nowhere.
  if (spool_.size() > 0) {
    if (const auto entry = spool_.find(collection.name, *id)) {
      storage_common::writeRecord(writer, collection, entry->identity, sdk::parseJson(entry->record_json));
      return std::string(buffer.GetString(), buffer.GetSize());
    }
  }
  const bool found = unavailableWhenUnreachable([&] {
    requireSchema();
    return pool_.run([&](Connection& connection) {
      const Result result = connection.run(select_sql_[collection], {*id});
      if (result.rows() == 0) return false;
      storage_common::writeRecord(writer, collection.columns, ResultRow(result, 0));
      return true;
    });
  });
  if (!found) return std::nullopt;
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string PostgresStorage::find(std::string_view collection_name, const sdk::FindQuery& query) {
  const auto& collection = storage_common::findCollection(collection_name);
  const storage_common::FindStatement statement = collection.findStatement(query, kPostgresDialect);
  if (statement.matches_nothing) return "[]";
  // A list that silently missed acknowledged records would mislead (a session just written would be 404, a
  // learner would build on an older policy): while records wait in the spool, lists are unavailable, as
  // PostgreSQL itself is during the outage. The replay ends that within about replay_interval_ms of its return.
  if (spool_.size() > 0) {
    throw sdk::Unavailable("records are waiting in the spool for PostgreSQL: lists are back once they are replayed");
  }
  return unavailableWhenUnreachable([&] {
    requireSchema();
    return pool_.run([&](Connection& connection) {
      const Result result = connection.run(statement.sql, statement.parameters);
      rapidjson::StringBuffer buffer;
      sdk::JsonWriter writer(buffer);
      writer.StartArray();
      for (int row = 0; row < result.rows(); ++row)
        storage_common::writeRecord(writer, statement.columns, ResultRow(result, row));
      writer.EndArray();
      return std::string(buffer.GetString(), buffer.GetSize());
    });
  });
}

sdk::PruneResult PostgresStorage::prune(std::string_view collection_name, std::string_view before) {
  const auto& collection = storage_common::findCollection(collection_name);
  const std::string boundary = storage_common::pruneBoundary(before);
  // Spooled records would reach PostgreSQL after the prune and outlive it.
  if (spool_.size() > 0)
    throw sdk::Unavailable("records are waiting in the spool for PostgreSQL: prune once they are replayed");
  return unavailableWhenUnreachable([&] {
    requireSchema();
    return pool_.run([&](Connection& connection) {
      sdk::PruneResult result;
      result.pruned = connection.run(collection.pruneSql(kPostgresDialect), {boundary}).affectedRows();
      result.remaining = connection.run(collection.countSql(), {}).int64(0, 0);
      return result;
    });
  });
}

std::map<std::string, int64_t> PostgresStorage::counts() {
  return unavailableWhenUnreachable([&] {
    requireSchema();
    std::lock_guard replaying(replay_mutex_);
    auto counts = pool_.run([&](Connection& connection) {
      std::map<std::string, int64_t> stored;
      for (const auto& collection : storage_common::collections()) {
        stored[collection.name] = connection.run(collection.countSql(), {}).int64(0, 0);
      }
      return stored;
    });
    // A spooled record is acknowledged, so it counts.
    for (const auto& [collection, spooled] : spool_.counts()) counts[collection] += spooled;
    return counts;
  });
}

sdk::MigrationReport PostgresStorage::migrate(bool apply) {
  const sdk::MigrationReport report = unavailableWhenUnreachable(
      [&] { return pool_.run([&](Connection& connection) { return storage_postgres::migrate(connection, apply); }); });
  noteSchema(report);
  return report;
}

void PostgresStorage::replayLoop() {
  std::unique_lock lock(stop_mutex_);
  while (!stop_requested_.wait_for(lock, milliseconds(settings_.replay_interval_ms), [&] { return stopping_; })) {
    lock.unlock();
    if (spooling() || spool_.size() > 0) replaySpool();
    lock.lock();
  }
}

void PostgresStorage::replayEntry(Connection& connection, const Spool::Entry& entry) {
  const auto& collection = storage_common::findCollection(entry.collection);
  const sdk::RecordToInsert record(entry.record_json);
  connection.run(insert_sql_[collection], collection.insertValues(entry.identity, record));
}

void PostgresStorage::replaySpool() {
  try {
    if (!schema_complete_) {
      noteSchema(pool_.run(
          [&](Connection& connection) { return storage_postgres::migrate(connection, settings_.auto_migrate); }));
      if (!schema_complete_) {
        noteProblem("PostgreSQL answers but lacks migrations (run `p2j migrate`); records stay in the spool");
        return;
      }
    }
    while (true) {
      {
        std::lock_guard replaying(replay_mutex_);
        const std::vector<Spool::Entry> entries = spool_.oldest(kReplayBatch);
        if (!entries.empty()) {
          const int64_t last_sequence = entries.back().sequence;
          // The entries as PostgreSQL must take them: a record inserted alone, or an insertAll's records
          // together (oldest() never cuts one).
          std::vector<std::vector<const Spool::Entry*>> groups;
          for (const Spool::Entry& entry : entries) {
            if (groups.empty() || entry.batch.empty() || entry.batch != groups.back().front()->batch)
              groups.emplace_back();
            groups.back().push_back(&entry);
          }
          auto rejectGroup = [&](const std::vector<const Spool::Entry*>& group, const std::string& reason) {
            for (const Spool::Entry* entry : group) spool_.reject(*entry, reason);
          };
          // An entry this build cannot read (a damaged row, a spool from a newer p2j) would stop the replay
          // for good: it is set aside like a record PostgreSQL refuses, and the rest of its batch with it.
          std::erase_if(groups, [&](const std::vector<const Spool::Entry*>& group) {
            try {
              for (const Spool::Entry* entry : group) {
                storage_common::findCollection(entry->collection);
                sdk::parseJson(entry->record_json);
              }
              return false;
            } catch (const std::exception& e) {
              rejectGroup(group, e.what());
              return true;
            }
          });
          auto replayGroups = [&](std::span<const std::vector<const Spool::Entry*>> replayed) {
            pool_.run([&](Connection& connection) {
              connection.execute("BEGIN");
              for (const auto& group : replayed) {
                for (const Spool::Entry* entry : group) replayEntry(connection, *entry);
              }
              connection.execute("COMMIT");
            });
          };
          try {
            replayGroups(groups);
          } catch (const QueryError& e) {
            if (!e.rejectsData()) throw;
            // One record PostgreSQL will never take must not hold back the others: a group at a time, and
            // the refused ones set aside whole.
            for (const auto& group : groups) {
              try {
                replayGroups({&group, 1});
              } catch (const QueryError& refusal) {
                if (!refusal.rejectsData()) throw;
                rejectGroup(group, refusal.what());
              }
            }
          }
          spool_.removeThrough(last_sequence);
          continue;
        }
      }
      // Inserts go straight to PostgreSQL again. One acknowledged while this was decided lands in the spool
      // and is replayed on the next round; it was concurrent with the inserts that overtake it.
      std::lock_guard state(state_mutex_);
      if (spool_.size() == 0) {
        spooling_ = false;
        problem_.clear();
        return;
      }
    }
  } catch (const std::exception& e) {
    noteProblem(std::string("PostgreSQL is still unavailable, records stay in the spool: ") + e.what());
  }
}

sdk::Health PostgresStorage::health() {
  if (!spooling()) {
    try {
      // Never waits for a busy pool: busy connections are working ones.
      pool_.run([](Connection& connection) { connection.run("SELECT 1", {}); }, milliseconds(0));
    } catch (const ConnectionLost& e) {
      startSpooling(e.what());
    } catch (const std::exception&) {
      // A timeout or an exhausted pool says the server is loaded, not that it is gone.
    }
  }
  const int64_t rejected = spool_.rejected();
  // Records PostgreSQL refused on replay were acknowledged: they need an operator, so the state stays visible.
  const bool degraded = spooling() || rejected > 0;
  std::string why = problem();
  if (rejected > 0) {
    why += (why.empty() ? "" : "; ") + std::to_string(rejected) +
           " spooled records were refused by PostgreSQL and are kept in table spool_rejected of " + spool_.path();
  }
  sdk::Health health;
  health.state = degraded           ? sdk::HealthState::kDegraded
                 : schema_complete_ ? sdk::HealthState::kOk
                                    : sdk::HealthState::kDown;
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("spooled");
  writer.Int64(spool_.size());
  writer.Key("rejected");
  writer.Int64(rejected);
  writer.Key("spool_path");
  sdk::writeString(writer, spool_.path());
  writer.Key("schema_version");
  writer.Int64(schema_version_);
  if (!why.empty()) {
    writer.Key("problem");
    sdk::writeString(writer, why);
  }
  writer.EndObject();
  health.detail_json.assign(buffer.GetString(), buffer.GetSize());
  return health;
}

}  // namespace p2j::storage_postgres
