/**
 * What a node activity heartbeats: its checkpoint (handed back on retry) and, once it reported rows, its live
 * progress. Temporal keeps only a running activity's last heartbeat, which the workflow never sees; clients read
 * it from the run's pending activities (`describe()`), which is how `status --watch` shows rows per second.
 * A heartbeat without progress stays the bare checkpoint, the form every node's checkpoint takes on the wire.
 */

/** Marks an envelope, so a user checkpoint is never mistaken for one. */
const TAG = 'pipewright.heartbeat/1';

export interface HeartbeatEnvelope {
  readonly kind: typeof TAG;
  readonly checkpoint?: unknown;
  /** Rows each node of the activity has handled so far, by node id. */
  readonly rows: Readonly<Record<string, number>>;
}

const isEnvelope = (details: unknown): details is HeartbeatEnvelope =>
  typeof details === 'object' &&
  details !== null &&
  (details as { kind?: unknown }).kind === TAG &&
  typeof (details as { rows?: unknown }).rows === 'object';

/** The details to heartbeat: the bare checkpoint, or an envelope once any node reported rows. */
export function heartbeatDetails(checkpoint: unknown, rows: ReadonlyMap<string, number>): unknown {
  if (rows.size === 0) return checkpoint;
  return { kind: TAG, ...(checkpoint === undefined ? {} : { checkpoint }), rows: Object.fromEntries(rows) };
}

/** The checkpoint inside heartbeat details (from either form). */
export function checkpointOf(details: unknown): unknown {
  return isEnvelope(details) ? details.checkpoint : details;
}

/** The rows by node id inside heartbeat details; empty for a bare checkpoint. */
export function rowsOf(details: unknown): Readonly<Record<string, number>> {
  if (!isEnvelope(details)) return {};
  return Object.fromEntries(
    Object.entries(details.rows).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] >= 0),
  );
}
