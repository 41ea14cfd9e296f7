/**
 * What "each partition's batches once" can check after a partitioned load: every partition `p` has its own ledger
 * (`<node>#p<i>@<listing fingerprint>`) under one run id, holding exactly batches 1..n, each but the last of `batchRows` records, and the
 * ledgers' rows add up to the rows loaded. A batch loaded twice (a second run id, a gap, an extra batch, a short
 * batch before the last) fails it.
 */
import type pg from 'pg';
import { quoteIdent } from '../../src/model/identifiers';

export interface PartitionLedgerExpectation {
  readonly workflowId: string;
  readonly nodeId: string;
  readonly partitions: number;
  readonly batchRows: number;
  /** Rows (and rejects) loaded over every partition. */
  readonly rows: number;
}

export async function expectPartitionLedgers(pool: pg.Pool, schema: string, e: PartitionLedgerExpectation) {
  const { rows } = await pool.query<{ node_id: string; run_id: string; batch_no: number; n: number }>(
    `SELECT node_id, run_id, batch_no, row_count + reject_count AS n FROM ${quoteIdent(schema, 'schema')}.load_ledger
     WHERE workflow_id = $1 AND node_id LIKE $2 ORDER BY node_id, batch_no`,
    [e.workflowId, `${e.nodeId}#p%`],
  );
  const byNode = new Map<string, typeof rows>();
  for (const r of rows) byNode.set(r.node_id, [...(byNode.get(r.node_id) ?? []), r]);
  // `<node>#p<i>@<listing>`: one listing for the whole run, each partition once.
  const keys = [...byNode.keys()];
  expect(new Set(keys.map((k) => k.replace(/^.*@/, ''))).size).toBe(1);
  expect(keys.map((k) => k.replace(/@.*$/, '')).sort()).toEqual(
    Array.from({ length: e.partitions }, (_, i) => `${e.nodeId}#p${i}`).sort(),
  );
  expect(new Set(rows.map((r) => r.run_id)).size).toBe(1);
  for (const [node, batches] of byNode) {
    const shape = batches.map((b, i) => ({
      node,
      batch: b.batch_no,
      full: i === batches.length - 1 || b.n === e.batchRows,
    }));
    expect(shape).toEqual(batches.map((_, i) => ({ node, batch: i + 1, full: true })));
  }
  expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(e.rows);
}
