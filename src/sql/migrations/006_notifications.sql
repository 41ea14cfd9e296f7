-- Runs with search_path set to the project schema (pipewright unless a test names another).
-- Notifications sent (`notify` in a definition): one row per run and event, written in the transaction that sends
-- it, so that an attempt retried after a crash, or a second worker, does not POST the same event again.
CREATE TABLE notifications_sent (
  key         text        PRIMARY KEY,
  workflow_id text        NOT NULL,
  event       text        NOT NULL,
  status      integer     NOT NULL,
  sent_at     timestamptz NOT NULL DEFAULT now()
);
