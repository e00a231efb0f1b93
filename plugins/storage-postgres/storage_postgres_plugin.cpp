#include "postgres_storage.hpp"

namespace {

constexpr const char* kConfigSchema = R"schema({
  "type": "object",
  "properties": {
    "connection": {"type": "string", "minLength": 1,
                   "description": "libpq connection string or URI, e.g. postgresql://p2j@db.internal:5432/p2j"},
    "pool_size": {"type": "integer", "minimum": 1, "maximum": 256, "default": 8,
                  "description": "Most connections open at once"},
    "pool_timeout_ms": {"type": "integer", "minimum": 0, "maximum": 600000, "default": 10000,
                        "description": "How long a call waits for a free connection before it fails with 503"},
    "connect_timeout_seconds": {"type": "integer", "minimum": 1, "maximum": 600, "default": 5,
                                "description": "libpq connect_timeout; values below 2 act as 2"},
    "statement_timeout_ms": {"type": "integer", "minimum": 1, "maximum": 3600000, "default": 10000,
                             "description": "PostgreSQL statement_timeout of every connection"},
    "max_batch": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 256,
                  "description": "Most inserts committed in one transaction: the group commit"},
    "auto_migrate": {"type": "boolean", "default": false,
                     "description": "Apply missing migrations when the instance is created; false leaves it to `p2j migrate`"},
    "spool_path": {"type": "string", "minLength": 1, "format": "path",
                   "description": "SQLite file keeping inserts while PostgreSQL is unreachable; default $P2J_DATA_DIR/postgres-spool.db"},
    "replay_interval_ms": {"type": "integer", "minimum": 10, "maximum": 600000, "default": 1000,
                           "description": "How often an outage is probed and the spool replayed"}
  },
  "required": ["connection"],
  "additionalProperties": false
})schema";

}  // namespace

P2J_EXPORT_STORAGE(p2j::storage_postgres::PostgresStorage, "storage-postgres", "1.0.0",
                   "PostgreSQL storage (connection pool, prepared statements, failover spool, versioned migrations)",
                   kConfigSchema)
