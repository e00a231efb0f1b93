#include "migrations.hpp"

#include <p2j/sdk/time.hpp>

#include <map>

namespace p2j::storage_sqlite {

using storage_common::Connection;

const std::vector<storage_common::Migration>& knownMigrations() {
  static const std::vector<storage_common::Migration> migrations = {
#include "sqlite_migrations.inc"
  };
  return migrations;
}

namespace {

constexpr const char* kPluginName = "storage-sqlite";

// What schema_migrations records; nothing when the table does not exist yet (a new database).
std::map<int64_t, std::string> appliedMigrations(Connection& connection) {
  std::map<int64_t, std::string> applied;
  {
    auto exists = connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    if (!exists.step()) return applied;
  }
  auto statement = connection.prepare("SELECT version, name FROM schema_migrations ORDER BY version");
  while (statement.step()) applied.emplace(statement.int64(0), std::string(statement.text(1)));
  return applied;
}

}  // namespace

sdk::MigrationReport migrate(Connection& connection, bool apply) {
  if (!apply)
    return storage_common::planMigrations(appliedMigrations(connection), knownMigrations(), kPluginName).report({});
  connection.execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  std::vector<std::string> applied_now;
  while (true) {
    // Planned inside the write lock, so two processes migrating at once apply each migration once.
    connection.execute("BEGIN IMMEDIATE");
    try {
      const auto plan = storage_common::planMigrations(appliedMigrations(connection), knownMigrations(), kPluginName);
      if (plan.missing.empty()) {
        connection.execute("COMMIT");
        return plan.report(applied_now);
      }
      const storage_common::Migration& next = *plan.missing.front();
      connection.execute(next.sql);
      auto record = connection.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)");
      record.bindInt64(1, next.version);
      record.bindText(2, next.name);
      record.bindText(3, sdk::utcNow());
      record.step();
      connection.execute("COMMIT");
      applied_now.emplace_back(next.name);
    } catch (...) {
      sqlite3_exec(connection.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }
}

}  // namespace p2j::storage_sqlite
