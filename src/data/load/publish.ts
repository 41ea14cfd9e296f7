/**
 * The last step of an all-or-nothing load (`replace`, atomic `append`): one transaction that makes the loaded
 * rows visible, recorded in the ledger under `<node>#publish` so that a retry after it committed does not
 * publish twice.
 */
import type pg from 'pg';
import { claimBatch, committedBatches, recordBatchCounts, type LedgerKey } from './ledger';
import { withTransaction } from '../../platform/db/pools';

export const publishKey = (key: LedgerKey): LedgerKey => ({ ...key, nodeId: `${key.nodeId}#publish` });

/** Rows published by an earlier attempt, or undefined when the load was not published yet. */
export async function publishedRows(pool: pg.Pool, key: LedgerKey, projectSchema: string): Promise<number | undefined> {
  const [done] = await committedBatches(pool, publishKey(key), projectSchema);
  return done?.rowCount;
}

/**
 * Runs `publish` (which returns the rows it made visible) in one transaction with the ledger claim; returns the
 * rows published, by this call or an earlier one.
 */
export async function publishOnce(
  pool: pg.Pool,
  key: LedgerKey,
  projectSchema: string,
  publish: (client: pg.PoolClient) => Promise<number>,
): Promise<number> {
  const done = await withTransaction(pool, async (client) => {
    if (!(await claimBatch(client, publishKey(key), 1, projectSchema))) return undefined;
    const rows = await publish(client);
    await recordBatchCounts(
      client,
      publishKey(key),
      { batchNo: 1, rowCount: rows, rejectCount: 0, fingerprint: null },
      projectSchema,
    );
    return rows;
  });
  return done ?? (await publishedRows(pool, key, projectSchema)) ?? 0;
}
