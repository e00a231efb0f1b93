-- The pipelines' records: evaluation reports, iteration logs, user feedback, value logs and the learner's
-- policies. Rows are appended, never updated; retention is by created_at (POST /admin/prune-logs).
-- Every filterable field has an index that also orders by created_at, the order find() returns.

-- One /evaluate or /batch-evaluate result: the report a client fetches by id.
CREATE TABLE evaluations (
  id          TEXT PRIMARY KEY,          -- UUID: the report_id
  spec_id     TEXT NOT NULL,             -- the specs row of the evaluated spec
  prompt      TEXT NOT NULL,
  evaluator   TEXT NOT NULL,             -- the plugin instance name from the YAML
  spec_data   TEXT NOT NULL,             -- the evaluated spec, JSON
  eval_data   TEXT NOT NULL,             -- the evaluation, JSON
  score       REAL NOT NULL,
  grade       TEXT,                      -- A..F
  created_at  TEXT NOT NULL              -- UTC ISO 8601
);
CREATE INDEX evaluations_spec_id ON evaluations (spec_id, created_at);
CREATE INDEX evaluations_created_at ON evaluations (created_at);

-- One round of /iterate, /coordinated-improvement or /advanced-rl.
CREATE TABLE iterations (
  id                TEXT PRIMARY KEY,    -- UUID: the iteration_id
  session_id        TEXT NOT NULL,
  pipeline          TEXT NOT NULL,       -- iterate | coordinate | advanced_rl
  iteration_number  INTEGER NOT NULL,    -- 1 is the generated spec
  prompt            TEXT NOT NULL,
  design_type       TEXT NOT NULL,
  action            TEXT NOT NULL,       -- generate, all_feedback or the agent's improvement action
  spec_before       TEXT,                -- JSON; NULL for the generated spec
  spec_after        TEXT NOT NULL,       -- JSON
  evaluation_data   TEXT NOT NULL,       -- JSON
  feedback_data     TEXT NOT NULL,       -- JSON: the feedback agent's report
  changes           TEXT NOT NULL,       -- JSON array: what the agent changed
  score_before      REAL NOT NULL,
  score_after       REAL NOT NULL,
  reward            REAL NOT NULL,
  created_at        TEXT NOT NULL
);
CREATE INDEX iterations_session_id ON iterations (session_id, created_at);
CREATE INDEX iterations_design_type ON iterations (design_type, created_at);
CREATE INDEX iterations_created_at ON iterations (created_at);

-- A user's rating of a stored spec (POST /feedback).
CREATE TABLE feedback (
  id          TEXT PRIMARY KEY,
  spec_id     TEXT NOT NULL,
  rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment     TEXT,
  created_at  TEXT NOT NULL
);
CREATE INDEX feedback_spec_id ON feedback (spec_id, created_at);
CREATE INDEX feedback_created_at ON feedback (created_at);

-- POST /log-values (the original's hidg_logs).
CREATE TABLE value_logs (
  id                 TEXT PRIMARY KEY,
  date               TEXT NOT NULL,
  day                TEXT NOT NULL,
  task               TEXT NOT NULL,
  values_reflection  TEXT NOT NULL,     -- JSON object of strings
  achievements       TEXT,              -- JSON
  technical_notes    TEXT,              -- JSON
  created_at         TEXT NOT NULL
);
CREATE INDEX value_logs_created_at ON value_logs (created_at);

-- The REINFORCE learner's policy per design type: a new row per update, the newest is current.
CREATE TABLE policies (
  id           TEXT PRIMARY KEY,
  design_type  TEXT NOT NULL,
  weights      TEXT NOT NULL,           -- JSON object: improvement action -> preference
  baseline     REAL NOT NULL,           -- running mean of the step rewards
  episodes     INTEGER NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX policies_design_type ON policies (design_type, created_at);
CREATE INDEX policies_created_at ON policies (created_at);
