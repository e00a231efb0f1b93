// Versioned schemas, the same way for every storage plugin: the SQL files of migrations/<database>/ are
// compiled into the plugin (p2j_embed_migrations in this directory's CMakeLists.txt), every applied one is
// recorded in the database's schema_migrations table, and this decides what a database still needs.
#pragma once

#include <p2j/sdk/storage.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace p2j::storage_common {

struct Migration {
  int64_t version;
  const char* name;  // the file name without ".sql", e.g. "0001_initial"
  const char* sql;
};

struct MigrationPlan {
  int64_t version = 0;  // the newest migration the database has
  int64_t latest = 0;   // the newest migration the plugin knows
  std::vector<const Migration*> missing;

  sdk::MigrationReport report(const std::vector<std::string>& applied_now) const;
};

// What a database that recorded `applied` (version -> name) lacks of `known` (oldest first). Throws
// sdk::InvalidInput when the database has a migration the plugin does not know (a newer p2j wrote it) or
// records a version under another name.
MigrationPlan planMigrations(const std::map<int64_t, std::string>& applied, const std::vector<Migration>& known,
                             std::string_view plugin_name);

}  // namespace p2j::storage_common
