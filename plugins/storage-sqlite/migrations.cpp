#include "migrations.hpp"

#include <p2j/sdk/time.hpp>

#include <map>

namespace p2j::storage_sqlite {

const std::vector<Migration>& knownMigrations() {
  static const std::vector<Migration> migrations = {
#include "sqlite_migrations.inc"
  };
  return migrations;
}

int migrate(Connection& connection, bool apply) {
  connection.execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  std::map<int, std::string> applied;
  {
    auto statement = connection.prepare("SELECT version, name FROM schema_migrations ORDER BY version");
    while (statement.step()) applied.emplace(static_cast<int>(statement.int64(0)), std::string(statement.text(1)));
  }
  const auto& known = knownMigrations();
  const int newest_known = known.empty() ? 0 : known.back().version;
  if (!applied.empty() && applied.rbegin()->first > newest_known) {
    throw SqliteError(SQLITE_ERROR, "the database has schema version " + std::to_string(applied.rbegin()->first) +
                                        " (" + applied.rbegin()->second +
                                        ") but this storage-sqlite knows only up to " + std::to_string(newest_known) +
                                        ": upgrade p2j, or point it at another database");
  }
  for (const auto& migration : known) {
    auto it = applied.find(migration.version);
    if (it != applied.end()) {
      if (it->second != migration.name) {
        throw SqliteError(SQLITE_ERROR, "migration " + std::to_string(migration.version) + " is recorded as '" +
                                            it->second + "' but this plugin has '" + migration.name + "'");
      }
      continue;
    }
    if (!apply) {
      throw SqliteError(SQLITE_ERROR, std::string("the database lacks migration ") + migration.name +
                                          ".sql: run `p2j migrate` or set auto_migrate: true");
    }
    connection.execute("BEGIN IMMEDIATE");
    try {
      connection.execute(migration.sql);
      auto record = connection.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)");
      record.bindInt64(1, migration.version);
      record.bindText(2, migration.name);
      record.bindText(3, sdk::utcNow());
      record.step();
      connection.execute("COMMIT");
    } catch (...) {
      connection.execute("ROLLBACK");
      throw;
    }
  }
  return newest_known;
}

}  // namespace p2j::storage_sqlite
