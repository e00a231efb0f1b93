#include "sqlite_storage.hpp"

#include "migrations.hpp"

#include <p2j/sdk/time.hpp>

#include <filesystem>
#include <random>

namespace p2j::storage_sqlite {

std::string newUuid() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  uint64_t high = generator();
  uint64_t low = generator();
  high = (high & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
  low = (low & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;    // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xFFFF), static_cast<unsigned>(high & 0xFFFF),
                static_cast<unsigned>(low >> 48), static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFull));
  return text;
}

Settings Settings::fromJson(const rapidjson::Value& config) {
  Settings settings;
  settings.path = sdk::requireString(config, "path", "");
  settings.synchronous_full = sdk::optionalString(config, "synchronous", "").value_or("full") == "full";
  settings.busy_timeout_ms = static_cast<int>(sdk::optionalInteger(config, "busy_timeout_ms", "").value_or(5000));
  settings.read_connections = static_cast<int>(sdk::optionalInteger(config, "read_connections", "").value_or(4));
  settings.max_batch = static_cast<size_t>(sdk::optionalInteger(config, "max_batch", "").value_or(256));
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
    schema_version_ = migrate(*writer, settings_.auto_migrate);
  } catch (const SqliteError& e) {
    throw std::runtime_error(settings_.path + ": " + e.what());
  }
  for (int i = 0; i < settings_.read_connections; ++i) {
    idle_readers_.push_back(
        std::make_unique<Connection>(settings_.path, Connection::Mode::kReadOnly, settings_.busy_timeout_ms));
  }
  writer_ = std::make_unique<GroupCommitWriter>(std::move(writer), settings_.max_batch);
}

namespace {

// Binds one record field to its column's placeholder.
void bindField(Statement& statement, int index, const Column& column, const rapidjson::Value* field) {
  if (field == nullptr) {
    statement.bindNull(index);
    return;
  }
  switch (column.type) {
    case ColumnType::kText:
      statement.bindText(index, {field->GetString(), field->GetStringLength()});
      break;
    case ColumnType::kJson:
      statement.bindText(index, sdk::toJsonText(*field));
      break;
    case ColumnType::kReal:
      statement.bindDouble(index, field->GetDouble());
      break;
    case ColumnType::kInteger:
      statement.bindInt64(index, field->GetInt64());
      break;
  }
}

// Writes the current row of a SELECT of collection.selectColumns() as a JSON record.
void writeRow(sdk::JsonWriter& writer, const Collection& collection, const Statement& statement) {
  writer.StartObject();
  writer.Key("id");
  sdk::writeString(writer, statement.text(0));
  int index = 1;
  for (const auto& column : collection.columns) {
    sdk::writeKey(writer, column.field);
    if (statement.isNull(index)) {
      writer.Null();
    } else {
      switch (column.type) {
        case ColumnType::kText:
          sdk::writeString(writer, statement.text(index));
          break;
        case ColumnType::kJson: {
          const std::string_view json = statement.text(index);
          writer.RawValue(json.data(), json.size(), rapidjson::kObjectType);
          break;
        }
        case ColumnType::kReal:
          writer.Double(statement.real(index));
          break;
        case ColumnType::kInteger:
          writer.Int64(statement.int64(index));
          break;
      }
    }
    ++index;
  }
  writer.Key("created_at");
  sdk::writeString(writer, statement.text(index));
  writer.EndObject();
}

}  // namespace

sdk::InsertedRecord SqliteStorage::insert(std::string_view collection_name, const rapidjson::Value& record) {
  const Collection& collection = findCollection(collection_name);
  validateRecord(collection, record);
  const sdk::InsertedRecord inserted{newUuid(), sdk::utcNow()};
  try {
    writer_->write([&](Connection& connection) {
      auto statement = connection.prepare(collection.insertSql());
      statement.bindText(1, inserted.id);
      int index = 2;
      for (const auto& column : collection.columns) bindField(statement, index++, column, sdk::findMember(record, column.field));
      statement.bindText(index, inserted.created_at);
      statement.step();
    });
  } catch (const SqliteError& e) {
    throw sdk::Unavailable(std::string("the SQLite write failed: ") + e.what());
  }
  return inserted;
}

std::optional<std::string> SqliteStorage::get(std::string_view collection_name, std::string_view id) {
  const Collection& collection = findCollection(collection_name);
  auto reader = lease();
  auto statement = reader->prepare(collection.selectByIdSql());
  statement.bindText(1, id);
  if (!statement.step()) return std::nullopt;
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  writeRow(writer, collection, statement);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string SqliteStorage::find(std::string_view collection_name, const sdk::FindQuery& query) {
  const Collection& collection = findCollection(collection_name);
  std::vector<std::string> where_fields;
  for (const auto& condition : query.where) where_fields.push_back(condition.first);
  const std::string sql = collection.selectWhereSql(where_fields, query.order_by, query.descending, query.limit);
  auto reader = lease();
  auto statement = reader->prepare(sql);
  int index = 1;
  for (const auto& [field, value] : query.where) {
    if (const auto* text = std::get_if<std::string>(&value)) {
      statement.bindText(index++, *text);
    } else {
      statement.bindDouble(index++, std::get<double>(value));
    }
  }
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  writer.StartArray();
  while (statement.step()) writeRow(writer, collection, statement);
  writer.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

sdk::PruneResult SqliteStorage::prune(std::string_view collection_name, std::string_view before) {
  const Collection& collection = findCollection(collection_name);
  sdk::PruneResult result;
  try {
    writer_->write([&](Connection& connection) {
      auto statement = connection.prepare(collection.pruneSql());
      statement.bindText(1, before);
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
  std::map<std::string, int64_t> counts;
  auto reader = lease();
  for (const auto& collection : collections()) {
    auto statement = reader->prepare(collection.countSql());
    counts[collection.name] = statement.step() ? statement.int64(0) : 0;
  }
  return counts;
}

sdk::Health SqliteStorage::health() {
  sdk::Health health;
  try {
    auto reader = lease();
    auto statement = reader->prepare("SELECT 1");
    health.ok = statement.step() && writer_->running();
  } catch (const std::exception& e) {
    health.ok = false;
  }
  rapidjson::StringBuffer buffer;
  sdk::JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("path");
  sdk::writeString(writer, settings_.path);
  writer.Key("schema_version");
  writer.Int(schema_version_);
  writer.EndObject();
  health.detail_json.assign(buffer.GetString(), buffer.GetSize());
  return health;
}

}  // namespace p2j::storage_sqlite
