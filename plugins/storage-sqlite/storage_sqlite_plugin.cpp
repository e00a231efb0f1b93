#include "sqlite_storage.hpp"

namespace {

constexpr const char* kConfigSchema = R"({
  "type": "object",
  "properties": {
    "path": {"type": "string", "minLength": 1, "format": "path",
             "description": "The database file; created with its directory when missing"},
    "synchronous": {"enum": ["full", "normal"], "default": "full",
                    "description": "full: a committed row survives power loss; normal: survives a crash of p2j only"},
    "busy_timeout_ms": {"type": "integer", "minimum": 0, "maximum": 600000, "default": 5000},
    "read_connections": {"type": "integer", "minimum": 1, "maximum": 64, "default": 4},
    "max_batch": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 256,
                  "description": "Most inserts committed in one transaction"},
    "checkpoint_pages": {"type": "integer", "minimum": 0, "maximum": 1000000, "default": 1000,
                         "description": "WAL pages that start a checkpoint in a thread of its own; 0: SQLite checkpoints inside the commits"},
    "auto_migrate": {"type": "boolean", "default": true,
                     "description": "Apply missing migrations when the instance is created; false leaves it to `p2j migrate`"}
  },
  "required": ["path"],
  "additionalProperties": false
})";

}  // namespace

P2J_EXPORT_STORAGE(p2j::storage_sqlite::SqliteStorage, "storage-sqlite", "1.0.0",
                   "Embedded SQLite storage (WAL, group commit, versioned migrations)", kConfigSchema)
