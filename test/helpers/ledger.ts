/**
 * What "each ledger batch loaded once" can check after a complete load. Counting ledger rows per batch number
 * cannot fail (the primary key is workflow_id, run_id, node_id, batch_no); what can go wrong is a missing or
 * extra batch, a batch holding the wrong number of records, a second run id loading the data again, or ledger
 * counts that disagree with the source and the target.
 */
import type pg from 'pg';

export interface LedgerExpectation {
  readonly workflowId: string;
  /** The run's first execution run id. Without it, the node's ledger rows must still share one run id. */
  readonly runId?: string;
  readonly nodeId: string;
  /** Good rows in the source: the ledger's row counts must add up to them. */
  readonly sourceRows: number;
  /** Rejected records in the source (default 0): batches are cut by records, rejects included. */
  readonly sourceRejects?: number;
  readonly batchRows: number;
  /** The target table, as it goes in SQL (`"schema".table`): it must hold the ledger's rows. */
  readonly target: string;
  /** Rows the target holds in all (default `sourceRows`): more when the load added to rows it kept. */
  readonly targetRows?: number;
  /**
   * The load went through a landing table and was published in one transaction (`replace`, `replace-where`,
   * `atomic: true`): its `<node>#publish` key then holds one batch, of `sourceRows` rows, under the same run id.
   */
  readonly published?: boolean;
}

interface LedgerRow {
  run_id: string;
  batch_no: number;
  row_count: number;
  reject_count: number;
  fingerprint: string | null;
}

/**
 * Asserts that node `nodeId` of `workflowId` committed exactly batches 1..n, n = ceil(records / batchRows); that
 * every batch but the last holds batchRows records (row_count + reject_count) and the last the remainder; that
 * the row counts add up to `sourceRows` and to the rows in `target` (the rejects to `sourceRejects`); and that
 * all of it is under one run id. With `published`, also that the rows were published exactly once.
 */
export async function expectLedgerComplete(pool: pg.Pool, schema: string, e: LedgerExpectation): Promise<void> {
  const { rows } = await pool.query<LedgerRow>(
    `SELECT run_id, batch_no, row_count, reject_count, fingerprint FROM "${schema}".load_ledger
      WHERE workflow_id = $1 AND node_id = $2 ORDER BY run_id, batch_no`,
    [e.workflowId, e.nodeId],
  );
  const rejects = e.sourceRejects ?? 0;
  const records = e.sourceRows + rejects;
  const n = Math.ceil(records / e.batchRows);
  const expectedSizes = Array.from({ length: n }, (_, i) =>
    i < n - 1 ? e.batchRows : records - (n - 1) * e.batchRows,
  );

  // One load of the data: a single run id (the given one), batches 1..n, none missing, none extra.
  const runIds = [...new Set(rows.map((r) => r.run_id))];
  expect(runIds).toEqual(n === 0 ? [] : [e.runId ?? expect.any(String)]);
  expect(rows.map((r) => r.batch_no)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  // Every batch full but the last; every batch with its counts and fingerprint recorded.
  expect(rows.map((r) => r.row_count + r.reject_count)).toEqual(expectedSizes);
  expect(rows.filter((r) => r.fingerprint === null).map((r) => r.batch_no)).toEqual([]);

  const sum = (k: 'row_count' | 'reject_count') => rows.reduce((s, r) => s + r[k], 0);
  const [{ n: inTarget } = { n: -1 }] = (await pool.query<{ n: number }>(`SELECT count(*)::int n FROM ${e.target}`))
    .rows;
  expect({ ledgerRows: sum('row_count'), ledgerRejects: sum('reject_count'), targetRows: inTarget }).toEqual({
    ledgerRows: e.sourceRows,
    ledgerRejects: rejects,
    targetRows: e.targetRows ?? e.sourceRows,
  });

  if (!e.published) return;
  const { rows: publish } = await pool.query<LedgerRow>(
    `SELECT run_id, batch_no, row_count, reject_count FROM "${schema}".load_ledger
      WHERE workflow_id = $1 AND node_id = $2 ORDER BY run_id, batch_no`,
    [e.workflowId, `${e.nodeId}#publish`],
  );
  expect(publish).toEqual([{ run_id: runIds[0], batch_no: 1, row_count: e.sourceRows, reject_count: 0 }]);
}
