#include "sqlite_storage.hpp"

#include "identifiers.hpp"
#include "migrations.hpp"

#include <p2j/sdk/time.hpp>
#include <p2j/sdk/uuid.hpp>

#include <filesystem>

namespace p2j::storage_sqlite {

using storage_common::Connection;
using storage_common::SqliteError;

Settings Settings::fromJson(const rapidjson::Value& config) {
  Settings settings;
  settings.path = sdk::requireString(config, "path", "");
  settings.synchronous_full = sdk::optionalString(config, "synchronous", "").value_or("full") == "full";
  settings.busy_timeout_ms = static_cast<int>(sdk::optionalInteger(config, "busy_timeout_ms", "").value_or(5000));
  settings.read_connections = static_cast<int>(sdk::optionalInteger(config, "read_connections", "").value_or(4));
  settings.max_batch = static_cast<size_t>(sdk::optionalInteger(config, "max_batch", "").value_or(256));
  settings.checkpoint_pages = static_cast<int>(sdk::optionalInteger(config, "checkpoint_pages", "").value_or(1000));
  if (const auto* auto_migrate = sdk::findMember(config, "auto_migrate"))
    settings.auto_migrate = auto_migrate->IsTrue();
  return settings;
}

class SqliteStorage::ReaderLease {
 public:
  ReaderLease(SqliteStorage& owner, std::unique_ptr<Connection> connection)
      : owner_(owner), connection_(std::move(connection)) {}
  ~ReaderLease() {
    {
      std::lock_guard lock(owner_.readers_mutex_);
      owner_.idle_readers_.push_back(std::move(connection_));
    }
    owner_.reader_returned_.notify_one();
  }
  Connection* operator->() const { return connection_.get(); }

 private:
  SqliteStorage& owner_;
  std::unique_ptr<Connection> connection_;
};

SqliteStorage::ReaderLease SqliteStorage::lease() {
  std::unique_lock lock(readers_mutex_);
  reader_returned_.wait(lock, [&] { return !idle_readers_.empty(); });
  auto connection = std::move(idle_readers_.back());
  idle_readers_.pop_back();
  return ReaderLease(*this, std::move(connection));
}

SqliteStorage::SqliteStorage(const rapidjson::Value& config) : settings_(Settings::fromJson(config)) {
  const std::filesystem::path parent = std::filesystem::path(settings_.path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);

  auto writer = std::make_unique<Connection>(settings_.path, Connection::Mode::kReadWrite, settings_.busy_timeout_ms);
  writer->execute("PRAGMA journal_mode=WAL");
  writer->execute(settings_.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  writer->execute("PRAGMA foreign_keys=ON");
  try {
    noteSchema(storage_sqlite::migrate(*writer, settings_.auto_migrate));
  } catch (const sdk::PluginError& e) {
    throw sdk::PluginError(e.status(), settings_.path + ": " + e.what());
  } catch (const SqliteError& e) {
    throw std::runtime_error(settings_.path + ": " + e.what());
  }
  for (int i = 0; i < settings_.read_connections; ++i) {
    idle_readers_.push_back(
        std::make_unique<Connection>(settings_.path, Connection::Mode::kReadOnly, settings_.busy_timeout_ms));
  }
  writer_ = std::make_unique<storage_common::GroupCommitWriter>(std::move(writer), settings_.max_batch,
                                                                settings_.checkpoint_pages);
}

void SqliteStorage::noteSchema(const sdk::MigrationReport& report) {
  schema_version_ = report.version;
  schema_complete_ = report.missing.empty();
}

void SqliteStorage::requireSchema() const {
  if (!schema_complete_) {
    throw sdk::Unavailable(settings_.path + " lacks migrations: run `p2j migrate` (or set auto_migrate: true)");
  }
}

sdk::InsertedRecord SqliteStorage::insert(std::string_view collection_name, const sdk::RecordToInsert& record) {
  const auto& collection = storage_common::findCollection(collection_name);
  storage_common::validateRecord(collection, record);
  requireSchema();
  const sdk::InsertedRecord inserted{sdk::timeOrderedUuid(), sdk::utcNow()};
  const PreparedInsert prepared{&insert_sql_[collection], collection.insertValues(inserted, record)};
  commit({&prepared, 1});
  return inserted;
}

std::vector<sdk::InsertedRecord> SqliteStorage::insertAll(std::span<const sdk::RecordOfBatch> records) {
  // Reserved once: the later records' resolved references view the ids in it.
  std::vector<sdk::InsertedRecord> inserted;
  inserted.reserve(records.size());
  std::vector<PreparedInsert> prepared;
  prepared.reserve(records.size());
  for (const sdk::RecordOfBatch& batch_record : records) {
    const auto& collection = storage_common::findCollection(batch_record.collection);
    const std::vector<p2j_record_field> fields = sdk::resolveRecordIds(batch_record.fields, inserted);
    const sdk::RecordToInsert record(fields);
    storage_common::validateRecord(collection, record);
    inserted.push_back({sdk::timeOrderedUuid(), sdk::utcNow()});
    prepared.push_back({&insert_sql_[collection], collection.insertValues(inserted.back(), record)});
  }
  requireSchema();
  if (!prepared.empty()) commit(prepared);
  return inserted;
}

void SqliteStorage::commit(std::span<const PreparedInsert> inserts) {
  try {
    writer_->write([&](Connection& connection) {
      for (const PreparedInsert& insert : inserts) {
        auto statement = connection.prepare(*insert.sql);
        statement.bindAll(insert.values);
        statement.step();
      }
    });
  } catch (const SqliteError& e) {
    // As storage-postgres answers it: the client learns the kind of refusal, not the schema's text (a
    // trigger's message, a constraint's name).
    if ((e.code() & 0xFF) == SQLITE_CONSTRAINT) {
      throw sdk::InvalidInput("the database refused the values (SQLite error " + std::to_string(e.code()) + ": " +
                              sqlite3_errstr(e.code()) + ")");
    }
    throw sdk::Unavailable(std::string("the SQLite write failed: ") + e.what());
  }
}

std::optional<std::string> SqliteStorage::get(std::string_view collection_name, std::string_view id) {
  const auto& collection = storage_common::findCollection(collection_name);
  const auto canonical_id = storage_common::canonicalUuid(id);
  if (!canonical_id) return std::nullopt;
  requireSchema();
  auto reader = lease();
  auto statement = reader->prepare(select_sql_[collection]);
  statement.bindText(1, *canonical_id);
  if (!statement.step()) return std::nullopt;
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  storage_common::writeRecord(writer, collection.columns, statement);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string SqliteStorage::find(std::string_view collection_name, const sdk::FindQuery& query) {
  const auto& collection = storage_common::findCollection(collection_name);
  const storage_common::FindStatement find = collection.findStatement(query, kSqliteDialect);
  if (find.matches_nothing) return "[]";
  requireSchema();
  auto reader = lease();
  auto statement = reader->prepare(find.sql);
  statement.bindAll(find.parameters);
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  writer.StartArray();
  while (statement.step()) storage_common::writeRecord(writer, find.columns, statement);
  writer.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

sdk::PruneResult SqliteStorage::prune(std::string_view collection_name, std::string_view before) {
  const auto& collection = storage_common::findCollection(collection_name);
  const std::string boundary = storage_common::pruneBoundary(before);
  requireSchema();
  sdk::PruneResult result;
  try {
    writer_->write([&](Connection& connection) {
      auto statement = connection.prepare(collection.pruneSql(kSqliteDialect));
      statement.bindText(1, boundary);
      statement.step();
      result.pruned = sqlite3_changes64(connection.handle());
    });
  } catch (const SqliteError& e) {
    throw sdk::Unavailable(std::string("the SQLite delete failed: ") + e.what());
  }
  auto reader = lease();
  auto count = reader->prepare(collection.countSql());
  result.remaining = count.step() ? count.int64(0) : 0;
  return result;
}

std::map<std::string, int64_t> SqliteStorage::counts() {
  requireSchema();
  std::map<std::string, int64_t> counts;
  auto reader = lease();
  for (const auto& collection : storage_common::collections()) {
    auto statement = reader->prepare(collection.countSql());
    counts[collection.name] = statement.step() ? statement.int64(0) : 0;
  }
  return counts;
}

sdk::MigrationReport SqliteStorage::migrate(bool apply) {
  // A connection of its own: SQLite's write lock makes it wait for the writer thread's transaction, and
  // the schema change reaches the other connections' statements through SQLite's schema check.
  Connection connection(settings_.path, Connection::Mode::kReadWrite, settings_.busy_timeout_ms);
  try {
    const sdk::MigrationReport report = storage_sqlite::migrate(connection, apply);
    noteSchema(report);
    return report;
  } catch (const SqliteError& e) {
    if ((e.code() & 0xFF) == SQLITE_BUSY) {
      throw sdk::Unavailable(settings_.path + " is busy: " + e.what());
    }
    throw std::runtime_error(settings_.path + ": " + e.what());
  }
}

sdk::Health SqliteStorage::health() {
  sdk::Health health;
  bool serving = false;
  try {
    auto reader = lease();
    auto statement = reader->prepare("SELECT 1");
    serving = statement.step() && writer_->running() && schema_complete_;
  } catch (const std::exception&) {
    serving = false;
  }
  health.state = serving ? sdk::HealthState::kOk : sdk::HealthState::kDown;
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("path");
  sdk::writeString(writer, settings_.path);
  writer.Key("schema_version");
  writer.Int64(schema_version_);
  if (settings_.checkpoint_pages > 0) {
    // What an operator needs to see a reader holding the WAL back: pages that keep growing while the finished
    // checkpoints stand still (/metrics: storage_wal_pages).
    const auto checkpoints = writer_->checkpoints();
    writer.Key("wal_pages");
    writer.Int64(checkpoints.wal_pages);
    writer.Key("checkpoint_passes");
    writer.Int64(checkpoints.background_passes);
    writer.Key("checkpoints");
    writer.Int64(checkpoints.finished);
  }
  writer.EndObject();
  health.detail_json.assign(buffer.GetString(), buffer.GetSize());
  return health;
}

}  // namespace p2j::storage_sqlite
