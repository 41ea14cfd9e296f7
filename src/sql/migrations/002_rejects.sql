-- Runs with search_path set to the project schema (pipewright unless a test names another).
-- Malformed input rows, written in the same transaction as the batch they came from.
CREATE TABLE rejects (
  id          bigserial   PRIMARY KEY,
  workflow_id text        NOT NULL,
  run_id      text        NOT NULL,
  node_id     text        NOT NULL,
  batch_no    integer,
  line_no     bigint      NOT NULL,
  raw         text        NOT NULL,
  reason      text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX rejects_workflow_node_idx ON rejects (workflow_id, run_id, node_id, line_no);
