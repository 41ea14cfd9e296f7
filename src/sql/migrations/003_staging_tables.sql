-- Runs with search_path set to the project schema (pipewright unless a test names another).
-- Every staging table a run creates, so that the run's end drops them and a sweep finds those of runs
-- that ended without cleaning up (a terminated workflow, a lost worker).
CREATE TABLE staging_tables (
  schema_name text        NOT NULL,
  table_name  text        NOT NULL,
  workflow_id text        NOT NULL,
  run_id      text        NOT NULL,
  node_id     text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (schema_name, table_name)
);

CREATE INDEX staging_tables_run_idx ON staging_tables (workflow_id, run_id);
