// storage-postgres's schema: migrations/postgres/NNNN_name.sql, compiled in, recorded in schema_migrations.
#pragma once

#include "migration_plan.hpp"
#include "pg_connection.hpp"

#include <vector>

namespace p2j::storage_postgres {

// The migrations compiled into this plugin, oldest first.
const std::vector<storage_common::Migration>& knownMigrations();

// Reports the database's schema; with `apply`, first applies the missing migrations in order, each in its
// own transaction that also records it, serialized with other p2j processes by an advisory lock. Throws
// sdk::InvalidInput for a database a newer p2j migrated.
sdk::MigrationReport migrate(Connection& connection, bool apply);

}  // namespace p2j::storage_postgres
