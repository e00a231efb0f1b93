// storage-sqlite's schema: migrations/sqlite/NNNN_name.sql, compiled in, recorded in schema_migrations.
#pragma once

#include "migration_plan.hpp"
#include "sqlite_connection.hpp"

#include <vector>

namespace p2j::storage_sqlite {

// The migrations compiled into this plugin, oldest first.
const std::vector<storage_common::Migration>& knownMigrations();

// Reports the database's schema; with `apply`, first applies the missing migrations in order, each in its
// own transaction that also records it. Throws sdk::InvalidInput for a database a newer p2j migrated.
sdk::MigrationReport migrate(storage_common::Connection& connection, bool apply);

}  // namespace p2j::storage_sqlite
