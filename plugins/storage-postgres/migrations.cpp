#include "migrations.hpp"

#include <map>

namespace p2j::storage_postgres {

const std::vector<storage_common::Migration>& knownMigrations() {
  static const std::vector<storage_common::Migration> migrations = {
#include "postgres_migrations.inc"
  };
  return migrations;
}

namespace {

constexpr const char* kPluginName = "storage-postgres";
// Any constant works as long as every p2j uses the same: it names the lock migrations hold.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7089427135)";

// What schema_migrations records; nothing when the table does not exist yet (a new database).
std::map<int64_t, std::string> appliedMigrations(Connection& connection) {
  std::map<int64_t, std::string> applied;
  if (connection.run("SELECT to_regclass('schema_migrations') IS NOT NULL", {}).text(0, 0) != "t") return applied;
  const Result rows = connection.run("SELECT version, name FROM schema_migrations ORDER BY version", {});
  for (int row = 0; row < rows.rows(); ++row) applied.emplace(rows.int64(row, 0), std::string(rows.text(row, 1)));
  return applied;
}

}  // namespace

sdk::MigrationReport migrate(Connection& connection, bool apply) {
  if (!apply)
    return storage_common::planMigrations(appliedMigrations(connection), knownMigrations(), kPluginName).report({});
  std::vector<std::string> applied_now;
  while (true) {
    connection.execute("BEGIN");
    try {
      // A migration may rewrite a big table: the pool's statement timeout is for requests, not for this.
      connection.execute("SET LOCAL statement_timeout = 0");
      connection.execute(kMigrationLock);
      connection.execute(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      const auto plan = storage_common::planMigrations(appliedMigrations(connection), knownMigrations(), kPluginName);
      if (plan.missing.empty()) {
        connection.execute("COMMIT");
        return plan.report(applied_now);
      }
      const storage_common::Migration& next = *plan.missing.front();
      connection.execute(next.sql);
      connection.run("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                     {next.version, std::string(next.name)});
      connection.execute("COMMIT");
      applied_now.emplace_back(next.name);
    } catch (...) {
      if (!connection.broken()) {
        try {
          connection.execute("ROLLBACK");
        } catch (const std::exception&) {
          // The connection is unusable then, and the pool drops it; the original error is what matters.
        }
      }
      throw;
    }
  }
}

}  // namespace p2j::storage_postgres
