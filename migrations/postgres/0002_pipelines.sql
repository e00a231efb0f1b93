-- The pipelines' records: evaluation reports, iteration logs, user feedback, value logs and the learner's
-- policies. Mirrors migrations/sqlite/0002_pipelines.sql (see 0001_initial.sql for seq and COLLATE "C").
-- Rows are appended, never updated; retention is by created_at (POST /admin/prune-logs).

-- One /evaluate or /batch-evaluate result: the report a client fetches by id.
CREATE TABLE evaluations (
  seq         BIGINT GENERATED ALWAYS AS IDENTITY,
  id          UUID PRIMARY KEY,                  -- the report_id
  spec_id     TEXT COLLATE "C" NOT NULL,         -- the specs row of the evaluated spec
  prompt      TEXT COLLATE "C" NOT NULL,
  evaluator   TEXT COLLATE "C" NOT NULL,         -- the plugin instance name from the YAML
  spec_data   JSONB NOT NULL,
  eval_data   JSONB NOT NULL,
  score       DOUBLE PRECISION NOT NULL,
  grade       TEXT COLLATE "C",                  -- A..F
  created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX evaluations_spec_id ON evaluations (spec_id, created_at, seq);
CREATE INDEX evaluations_created_at ON evaluations (created_at, seq);

-- One round of /iterate, /coordinated-improvement or /advanced-rl.
CREATE TABLE iterations (
  seq               BIGINT GENERATED ALWAYS AS IDENTITY,
  id                UUID PRIMARY KEY,            -- the iteration_id
  session_id        TEXT COLLATE "C" NOT NULL,
  pipeline          TEXT COLLATE "C" NOT NULL,   -- iterate | coordinate | advanced_rl
  iteration_number  BIGINT NOT NULL,             -- 1 is the generated spec
  prompt            TEXT COLLATE "C" NOT NULL,
  design_type       TEXT COLLATE "C" NOT NULL,
  action            TEXT COLLATE "C" NOT NULL,   -- generate, all_feedback or the agent's improvement action
  spec_before       JSONB,                       -- NULL for the generated spec
  spec_after        JSONB NOT NULL,
  evaluation_data   JSONB NOT NULL,
  feedback_data     JSONB NOT NULL,              -- the feedback agent's report
  changes           JSONB NOT NULL,              -- array: what the agent changed
  score_before      DOUBLE PRECISION NOT NULL,
  score_after       DOUBLE PRECISION NOT NULL,
  reward            DOUBLE PRECISION NOT NULL,
  created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX iterations_session_id ON iterations (session_id, created_at, seq);
CREATE INDEX iterations_design_type ON iterations (design_type, created_at, seq);
CREATE INDEX iterations_created_at ON iterations (created_at, seq);

-- A user's rating of a stored spec (POST /feedback).
CREATE TABLE feedback (
  seq         BIGINT GENERATED ALWAYS AS IDENTITY,
  id          UUID PRIMARY KEY,
  spec_id     TEXT COLLATE "C" NOT NULL,
  rating      BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment     TEXT COLLATE "C",
  created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX feedback_spec_id ON feedback (spec_id, created_at, seq);
CREATE INDEX feedback_created_at ON feedback (created_at, seq);

-- POST /log-values (the original's hidg_logs).
CREATE TABLE value_logs (
  seq                BIGINT GENERATED ALWAYS AS IDENTITY,
  id                 UUID PRIMARY KEY,
  date               TEXT COLLATE "C" NOT NULL,
  day                TEXT COLLATE "C" NOT NULL,
  task               TEXT COLLATE "C" NOT NULL,
  values_reflection  JSONB NOT NULL,            -- object of strings
  achievements       JSONB,
  technical_notes    JSONB,
  created_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX value_logs_created_at ON value_logs (created_at, seq);

-- The REINFORCE learner's policy per design type: a new row per update, the newest is current.
CREATE TABLE policies (
  seq          BIGINT GENERATED ALWAYS AS IDENTITY,
  id           UUID PRIMARY KEY,
  design_type  TEXT COLLATE "C" NOT NULL,
  weights      JSONB NOT NULL,                  -- improvement action -> preference
  baseline     DOUBLE PRECISION NOT NULL,       -- running mean of the step rewards
  episodes     BIGINT NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX policies_design_type ON policies (design_type, created_at, seq);
CREATE INDEX policies_created_at ON policies (created_at, seq);
