/**
 * Writing rejected rows to `<schema>.rejects` in one set-based statement per batch.
 */
import type pg from 'pg';
import type { RowReject } from '../rows/batch';
import { quoteIdent } from '../../model/identifiers';
import type { LedgerKey } from './ledger';
import { PROJECT_SCHEMA } from '../../platform/db/migrate';

// Postgres text cannot hold NUL; keep the rest of the row rather than lose the reject.
const sanitize = (s: string) => (s.includes('\0') ? s.replace(/\0/g, '\\0') : s);

/** Inserts `rejects` of batch `batchNo` inside the caller's transaction, each under the node that refused it. */
export async function insertRejects(
  client: pg.ClientBase,
  key: LedgerKey,
  batchNo: number,
  rejects: readonly RowReject[],
  schema = PROJECT_SCHEMA,
): Promise<void> {
  if (rejects.length === 0) return;
  await client.query(
    `INSERT INTO ${quoteIdent(schema, 'schema')}.rejects (workflow_id, run_id, node_id, batch_no, line_no, raw, reason)
     SELECT $1, $2, t.node_id, $3, t.line_no, t.raw, t.reason
     FROM unnest($4::text[], $5::bigint[], $6::text[], $7::text[]) AS t(node_id, line_no, raw, reason)`,
    [
      key.workflowId,
      key.runId,
      batchNo,
      rejects.map((r) => r.nodeId ?? key.nodeId),
      rejects.map((r) => r.lineNo),
      rejects.map((r) => sanitize(r.raw)),
      rejects.map((r) => sanitize(r.reason)),
    ],
  );
}

/** A stored reject. */
export interface DbReject {
  readonly batch_no: number | null;
  readonly line_no: string;
  readonly raw: string;
  readonly reason: string;
}

/** The rejects of one load, ordered by line number. */
export async function listRejects(
  db: pg.Pool | pg.ClientBase,
  key: LedgerKey,
  schema = PROJECT_SCHEMA,
): Promise<DbReject[]> {
  const { rows } = await db.query<DbReject>(
    `SELECT batch_no, line_no, raw, reason FROM ${quoteIdent(schema, 'schema')}.rejects
     WHERE workflow_id = $1 AND run_id = $2 AND node_id = $3 ORDER BY line_no`,
    [key.workflowId, key.runId, key.nodeId],
  );
  return rows;
}
