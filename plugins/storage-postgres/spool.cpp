#include "spool.hpp"

#include <p2j/sdk/time.hpp>

#include <filesystem>

namespace p2j::storage_postgres {

using storage_common::Connection;

namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr size_t kMaxBatch = 256;
constexpr const char* kSelectEntry = "SELECT sequence, collection, id, created_at, record, batch FROM spool";

}  // namespace

Spool::Spool(const std::string& path) : path_(path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  auto writer = std::make_unique<Connection>(path, Connection::Mode::kReadWrite, kBusyTimeoutMs);
  writer->execute("PRAGMA journal_mode=WAL");
  writer->execute("PRAGMA synchronous=FULL");
  // AUTOINCREMENT: a sequence is never reused, so the order survives replays that empty the table.
  writer->execute(
      "CREATE TABLE IF NOT EXISTS spool ("
      " sequence INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, id TEXT NOT NULL UNIQUE,"
      " created_at TEXT NOT NULL, record TEXT NOT NULL, batch TEXT)");
  // A spool written before batches existed (p2j of storage ABI 1.6) holds records inserted alone.
  bool has_batch = false;
  {
    auto columns = writer->prepare("SELECT name FROM pragma_table_info('spool')");
    while (columns.step()) has_batch = has_batch || columns.text(0) == "batch";
  }
  if (!has_batch) writer->execute("ALTER TABLE spool ADD COLUMN batch TEXT");
  writer->execute(
      "CREATE TABLE IF NOT EXISTS spool_rejected ("
      " id TEXT PRIMARY KEY, collection TEXT NOT NULL, created_at TEXT NOT NULL, record TEXT NOT NULL,"
      " reason TEXT NOT NULL, rejected_at TEXT NOT NULL)");
  reader_ = std::make_unique<Connection>(path, Connection::Mode::kReadOnly, kBusyTimeoutMs);
  {
    auto count = reader_->prepare("SELECT COUNT(*) FROM spool");
    size_ = count.step() ? count.int64(0) : 0;
  }
  writer_ = std::make_unique<storage_common::GroupCommitWriter>(std::move(writer), kMaxBatch);
}

void Spool::append(std::span<const NewEntry> entries) {
  writer_->write([&](Connection& connection) {
    for (const NewEntry& entry : entries) {
      auto statement = connection.prepare(
          "INSERT INTO spool (collection, id, created_at, record, batch) VALUES (?1, ?2, ?3, ?4, ?5)");
      statement.bindText(1, entry.collection);
      statement.bindText(2, entry.identity->id);
      statement.bindText(3, entry.identity->created_at);
      statement.bindText(4, entry.record_json);
      if (entries.size() > 1) {
        statement.bindText(5, entries.front().identity->id);
      } else {
        statement.bindNull(5);
      }
      statement.step();
    }
  });
  size_ += static_cast<int64_t>(entries.size());
}

Spool::Entry Spool::readEntry(const storage_common::Statement& statement) const {
  return {statement.int64(0),
          std::string(statement.text(1)),
          {std::string(statement.text(2)), std::string(statement.text(3))},
          std::string(statement.text(4)),
          std::string(statement.text(5))};
}

std::optional<Spool::Entry> Spool::find(std::string_view collection, std::string_view id) {
  std::lock_guard lock(reader_mutex_);
  auto statement = reader_->prepare(std::string(kSelectEntry) + " WHERE id = ?1 AND collection = ?2");
  statement.bindText(1, id);
  statement.bindText(2, collection);
  if (!statement.step()) return std::nullopt;
  return readEntry(statement);
}

std::vector<Spool::Entry> Spool::oldest(size_t limit) {
  std::lock_guard lock(reader_mutex_);
  auto statement = reader_->prepare(std::string(kSelectEntry) + " ORDER BY sequence LIMIT ?1");
  statement.bindInt64(1, static_cast<int64_t>(limit));
  std::vector<Entry> entries;
  while (statement.step()) entries.push_back(readEntry(statement));
  // A batch's entries are consecutive (appended in one transaction by the one writer): the rest of the last
  // one's follow it.
  if (!entries.empty() && !entries.back().batch.empty()) {
    auto rest = reader_->prepare(std::string(kSelectEntry) + " WHERE batch = ?1 AND sequence > ?2 ORDER BY sequence");
    rest.bindText(1, entries.back().batch);
    rest.bindInt64(2, entries.back().sequence);
    while (rest.step()) entries.push_back(readEntry(rest));
  }
  return entries;
}

void Spool::removeThrough(int64_t sequence) {
  int64_t removed = 0;
  writer_->write([&](Connection& connection) {
    auto statement = connection.prepare("DELETE FROM spool WHERE sequence <= ?1");
    statement.bindInt64(1, sequence);
    statement.step();
    removed = sqlite3_changes64(connection.handle());
  });
  size_ -= removed;
}

void Spool::reject(const Entry& entry, const std::string& reason) {
  writer_->write([&](Connection& connection) {
    auto statement = connection.prepare(
        "INSERT OR REPLACE INTO spool_rejected (id, collection, created_at, record, reason, rejected_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    statement.bindText(1, entry.identity.id);
    statement.bindText(2, entry.collection);
    statement.bindText(3, entry.identity.created_at);
    statement.bindText(4, entry.record_json);
    statement.bindText(5, reason);
    statement.bindText(6, sdk::utcNow());
    statement.step();
  });
}

int64_t Spool::rejected() {
  std::lock_guard lock(reader_mutex_);
  auto statement = reader_->prepare("SELECT COUNT(*) FROM spool_rejected");
  return statement.step() ? statement.int64(0) : 0;
}

std::map<std::string, int64_t> Spool::counts() {
  std::lock_guard lock(reader_mutex_);
  auto statement = reader_->prepare("SELECT collection, COUNT(*) FROM spool GROUP BY collection");
  std::map<std::string, int64_t> counts;
  while (statement.step()) counts[std::string(statement.text(0))] = statement.int64(1);
  return counts;
}

}  // namespace p2j::storage_postgres
