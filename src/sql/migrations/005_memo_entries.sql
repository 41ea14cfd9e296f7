-- Runs with search_path set to the project schema (pipewright unless a test names another).
-- Outputs of memoized nodes (`cache: { ttl }`), by fingerprint. A staging table such an output names is adopted:
-- renamed (`m_...`) and taken out of staging_tables, so the run's end does not drop it; the worker's sweep drops
-- it once the entry has been expired for the grace period (PIPEWRIGHT_MEMO_GRACE).
CREATE TABLE memo_entries (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fingerprint text        NOT NULL,
  node_type   text        NOT NULL,
  output      jsonb       NOT NULL,
  -- The adopted table (ours to drop), or NULL when the output names none or a table the node does not own.
  schema_name text,
  table_name  text,
  workflow_id text        NOT NULL,
  run_id      text        NOT NULL,
  node_id     text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

CREATE INDEX memo_entries_fingerprint_idx ON memo_entries (fingerprint, expires_at DESC);
CREATE INDEX memo_entries_expires_idx ON memo_entries (expires_at);
