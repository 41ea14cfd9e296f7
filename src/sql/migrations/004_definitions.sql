-- Runs with search_path set to the project schema (pipewright unless a test names another).
-- Published pipeline definitions: the registry behind `name@version` references. A version, once published, never
-- changes; `name@latest` is the one published last (highest seq).
CREATE TABLE definitions (
  name         text        NOT NULL,
  version      text        NOT NULL,
  definition   jsonb       NOT NULL,
  checksum     text        NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  seq          bigint      GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (name, version)
);

CREATE INDEX definitions_latest_idx ON definitions (name, seq DESC);
