/**
 * The load ledger: one row per committed batch, keyed by (workflow id, node id, batch number). Written in
 * the same transaction as the batch's rows, it is what makes a retried load skip work already done.
 */
import type pg from 'pg';
import { quoteIdent } from '../../model/identifiers';
import { PROJECT_SCHEMA } from '../../platform/db/migrate';

/** Which load a ledger row belongs to. */
export interface LedgerKey {
  readonly workflowId: string;
  /** The run's first execution run id (stable across continue-as-new and retries). */
  readonly runId: string;
  readonly nodeId: string;
}

/** A committed batch as recorded in the ledger. */
export interface LedgerBatch {
  readonly batchNo: number;
  readonly rowCount: number;
  readonly rejectCount: number;
  /** Digest of the batch's first and last rows (see `batchFingerprint`). */
  readonly fingerprint: string | null;
}

const table = (schema: string) => `${quoteIdent(schema, 'schema')}.load_ledger`;

/**
 * Claims batch `batchNo` inside the caller's open transaction. Returns false when the batch is already
 * committed. A concurrent attempt holding the same claim makes this wait until it commits or rolls back,
 * so two attempts can never both load a batch.
 */
export async function claimBatch(
  client: pg.ClientBase,
  key: LedgerKey,
  batchNo: number,
  schema = PROJECT_SCHEMA,
): Promise<boolean> {
  const res = await client.query(
    `INSERT INTO ${table(schema)} (workflow_id, run_id, node_id, batch_no, row_count)
     VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING`,
    [key.workflowId, key.runId, key.nodeId, batchNo],
  );
  return res.rowCount === 1;
}

/** Records the counts of a claimed batch, in the same transaction as its rows. */
export async function recordBatchCounts(
  client: pg.ClientBase,
  key: LedgerKey,
  batch: LedgerBatch,
  schema = PROJECT_SCHEMA,
): Promise<void> {
  await client.query(
    `UPDATE ${table(schema)} SET row_count = $5, reject_count = $6, fingerprint = $7, committed_at = now()
     WHERE workflow_id = $1 AND run_id = $2 AND node_id = $3 AND batch_no = $4`,
    [key.workflowId, key.runId, key.nodeId, batch.batchNo, batch.rowCount, batch.rejectCount, batch.fingerprint],
  );
}

/** The committed batches of one load, in order. */
export async function committedBatches(
  db: pg.Pool | pg.ClientBase,
  key: LedgerKey,
  schema = PROJECT_SCHEMA,
): Promise<LedgerBatch[]> {
  const { rows } = await db.query<{
    batch_no: number;
    row_count: number;
    reject_count: number;
    fingerprint: string | null;
  }>(
    `SELECT batch_no, row_count, reject_count, fingerprint FROM ${table(schema)}
     WHERE workflow_id = $1 AND run_id = $2 AND node_id = $3 ORDER BY batch_no`,
    [key.workflowId, key.runId, key.nodeId],
  );
  return rows.map((r) => ({
    batchNo: r.batch_no,
    rowCount: r.row_count,
    rejectCount: r.reject_count,
    fingerprint: r.fingerprint,
  }));
}

/** When the retention sweep removed the ledger of the key's run, or undefined when it did not. */
export async function ledgerPrunedAt(
  db: pg.Pool | pg.ClientBase,
  key: Pick<LedgerKey, 'workflowId' | 'runId'>,
  schema = PROJECT_SCHEMA,
): Promise<Date | undefined> {
  const { rows } = await db.query<{ pruned_at: Date }>(
    `SELECT pruned_at FROM ${quoteIdent(schema, 'schema')}.ledger_pruned WHERE workflow_id = $1 AND run_id = $2`,
    [key.workflowId, key.runId],
  );
  return rows[0]?.pruned_at;
}
