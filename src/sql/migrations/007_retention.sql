-- Runs with search_path set to the project schema (pipewright unless a test names another).
-- Retention of the ledger and the rejects (PIPEWRIGHT_LEDGER_RETENTION, PIPEWRIGHT_REJECTS_RETENTION), applied by
-- the sweep in bounded deletes. These indexes let it find old rows without reading the tables whole.
CREATE INDEX load_ledger_committed_idx ON load_ledger (committed_at);
CREATE INDEX rejects_created_idx ON rejects (created_at);

-- The runs whose ledger the sweep removed. A load that would continue one of these ledgers (a retry, or a rerun
-- through ledgerRun) cannot know which batches are already in its target, so it fails instead of loading them twice.
-- One row per run, not per batch: it stays.
CREATE TABLE ledger_pruned (
  workflow_id text        NOT NULL,
  run_id      text        NOT NULL,
  pruned_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, run_id)
);
