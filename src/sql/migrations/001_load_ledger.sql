-- Runs with search_path set to the project schema (pipewright unless a test names another).
-- One row per committed load batch. A batch's rows and its ledger row commit in the same transaction,
-- so an existing row means the batch is in the target and a retried attempt must skip it.
-- run_id is the run's first execution run id: a workflow id started again after it closed loads afresh.
CREATE TABLE load_ledger (
  workflow_id  text        NOT NULL,
  run_id       text        NOT NULL,
  node_id      text        NOT NULL,
  batch_no     integer     NOT NULL CHECK (batch_no >= 1),
  row_count    integer     NOT NULL CHECK (row_count >= 0),
  reject_count integer     NOT NULL DEFAULT 0 CHECK (reject_count >= 0),
  -- A digest of the batch's first and last rows: a retry compares it to detect an input that changed.
  fingerprint  text,
  committed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, run_id, node_id, batch_no)
);
