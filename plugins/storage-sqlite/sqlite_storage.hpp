#pragma once

#include "collections.hpp"
#include "group_commit_writer.hpp"
#include "sqlite_connection.hpp"

#include <p2j/sdk/plugin.hpp>

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
  bool auto_migrate = true;

  static Settings fromJson(const rapidjson::Value& config);
};

// The embedded storage: one SQLite file in WAL mode, one writer thread with group commit, and a small
// pool of read-only connections (WAL lets readers run beside the writer).
class SqliteStorage : public sdk::Storage {
 public:
  explicit SqliteStorage(const rapidjson::Value& config);

  sdk::InsertedRecord insert(std::string_view collection, const rapidjson::Value& record) override;
  std::optional<std::string> get(std::string_view collection, std::string_view id) override;
  std::string find(std::string_view collection, const sdk::FindQuery& query) override;
  sdk::PruneResult prune(std::string_view collection, std::string_view before) override;
  std::map<std::string, int64_t> counts() override;
  sdk::Health health() override;

 private:
  class ReaderLease;
  ReaderLease lease();

  Settings settings_;
  int schema_version_ = 0;
  std::unique_ptr<GroupCommitWriter> writer_;
  std::mutex readers_mutex_;
  std::condition_variable reader_returned_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
};

// A random (version 4) UUID in its canonical text form.
std::string newUuid();

}  // namespace p2j::storage_sqlite
