-- The specs a /generate call committed: the prompt, the agent instance that answered, and the spec.
CREATE TABLE specs (
  id          TEXT PRIMARY KEY,          -- UUID
  prompt      TEXT NOT NULL,
  agent       TEXT NOT NULL,             -- the plugin instance name from the YAML
  spec_data   TEXT NOT NULL,             -- the design spec, JSON
  created_at  TEXT NOT NULL              -- UTC ISO 8601, e.g. 2026-11-30T12:00:00.000000Z
);
CREATE INDEX specs_created_at ON specs (created_at);
