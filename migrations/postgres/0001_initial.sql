-- The specs a /generate call committed: the prompt, the agent instance that answered, and the spec.
-- Mirrors migrations/sqlite/0001_initial.sql. Every table of storage-postgres also has `seq`, the insertion
-- order that breaks ties in find() (SQLite's rowid), and its text columns compare byte-wise (COLLATE "C")
-- the way SQLite's do, so both plugins order records the same.
CREATE TABLE specs (
  seq         BIGINT GENERATED ALWAYS AS IDENTITY,
  id          UUID PRIMARY KEY,
  prompt      TEXT COLLATE "C" NOT NULL,
  agent       TEXT COLLATE "C" NOT NULL,     -- the plugin instance name from the YAML
  spec_data   JSONB NOT NULL,                -- the design spec
  created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX specs_created_at ON specs (created_at, seq);
