-- Runs with search_path set to the project schema (pipewright unless a test names another).
-- The partitions of a byte-range split (`source.csv` `split`) or a key-range read (`source.postgres` `partitionBy`),
-- one row per partition, as the run's `listPartitions` activity planned them: each partition's activity reads its own
-- descriptor here instead of planning again (a file scanned once; a table that grew does not move the ranges).
-- Written with ON CONFLICT DO NOTHING, so a retried listing is harmless; the sweep deletes the plans of old runs with
-- the ledger retention (PIPEWRIGHT_LEDGER_RETENTION).
CREATE TABLE partition_plans (
  workflow_id text        NOT NULL,
  -- The run's first execution run id (stable across continue-as-new).
  run_id      text        NOT NULL,
  node_id     text        NOT NULL,
  fingerprint text        NOT NULL,
  part        integer     NOT NULL,
  descriptor  jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, run_id, node_id, fingerprint, part)
);

CREATE INDEX partition_plans_created_idx ON partition_plans (created_at);
