#pragma once

#include "sqlite_connection.hpp"

#include <vector>

namespace p2j::storage_sqlite {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// The migrations compiled into this plugin, oldest first (from migrations/sqlite/NNNN_name.sql).
const std::vector<Migration>& knownMigrations();

// Brings the database to the newest known schema, each migration in its own transaction, recorded in
// schema_migrations. With apply=false it only checks and names the first missing migration. Refuses a
// database that has a migration this plugin does not know (it was written by a newer p2j).
// Returns the schema version.
int migrate(Connection& connection, bool apply);

}  // namespace p2j::storage_sqlite
