/**
 * Batch commits overlap the next batch's writes (appends only), stay in batch order, and never make a load wait
 * on the pool for a second connection.
 */
import pg from 'pg';
import { DEFAULT_DATABASE_URL } from '../../../src/platform/config/config';
import { copyBatchWriter } from '../../../src/data/load/batch-transaction';
import type { LoadBatchesInput } from '../../../src/data/load/exactly-once-load';
import { expectLedgerComplete } from '../../helpers/ledger';
import { freshTarget as fixtureTarget, loadText, makeCsv, targetState } from './load-fixture';
import { createScratch, type Scratch } from './pg-scratch';

const RECORDS = 1_500;
const BATCH = 300;
const { text, goodIds, rejectLines } = makeCsv(RECORDS);
const batchCount = Math.ceil(RECORDS / BATCH);

let s: Scratch;
beforeAll(async () => (s = await createScratch('overlap')));
afterAll(() => s.drop());

const freshTarget = () => fixtureTarget(s);

const load = (table: string, workflowId: string, extra: Partial<LoadBatchesInput> = {}) =>
  loadText(s, text, table, workflowId, BATCH, extra);

/** Whether another session has a COPY into `table` open, checked until `withinMs` has passed. */
async function copyOpenInto(table: string, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const { rows } = await s.registry.getPool().query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity
       WHERE pid <> pg_backend_pid() AND state = 'active' AND query LIKE 'COPY %' AND query LIKE '%' || $1 || '%'`,
      [table],
    );
    if (Number(rows[0]?.n) > 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function expectExact(table: string, workflowId: string): Promise<void> {
  const state = await targetState(s.registry.getPool(), s.schema, table, workflowId);
  expect(state.duplicates).toBe(0);
  expect(state.ids).toEqual(goodIds);
  // Batches 1..batchCount, each of BATCH records but the last, adding up to the good rows and the rejects.
  await expectLedgerComplete(s.registry.getPool(), s.schema, {
    workflowId,
    runId: 'r1',
    nodeId: 'load',
    sourceRows: goodIds.length,
    sourceRejects: rejectLines.length,
    batchRows: BATCH,
    target: `${s.schema}.${table}`,
  });
}

test('an append writes batch n+1 while batch n commits, and commits in batch order', async () => {
  const { table, workflowId } = await freshTarget();
  const committed: number[] = [];
  const nextOpen: boolean[] = [];
  await load(table, workflowId, {
    // Runs inside batch n's commit: the next batch, if it overlaps, is already being written.
    onBatchCommitted: async (n) => {
      committed.push(n);
      if (n < batchCount) nextOpen.push(await copyOpenInto(table, 5_000));
    },
  });
  expect(committed).toEqual(Array.from({ length: batchCount }, (_, i) => i + 1));
  expect(nextOpen).toEqual(Array.from({ length: batchCount - 1 }, () => true));
  await expectExact(table, workflowId);
});

test('a writer that does not overlap commits each batch before the next begins', async () => {
  const { table, workflowId } = await freshTarget();
  const nextOpen: boolean[] = [];
  await load(table, workflowId, {
    writer: { ...copyBatchWriter, overlapCommits: false },
    onBatchCommitted: async (n) => void (n < 3 && nextOpen.push(await copyOpenInto(table, 300))),
  });
  expect(nextOpen).toEqual([false, false]);
  await expectExact(table, workflowId);
});

test('with no room in the pool for a second connection, the load goes on with one', async () => {
  const { table, workflowId } = await freshTarget();
  const single = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, max: 1 });
  try {
    const result = await load(table, workflowId, { pool: single });
    expect(result.rowsLoaded).toBe(goodIds.length);
    expect(single.totalCount).toBe(1);
  } finally {
    await single.end();
  }
  await expectExact(table, workflowId);
});

test('a load holding two connections gives one back after a commit when another load waits for the pool', async () => {
  const first = await freshTarget();
  const second = await freshTarget();
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, max: 2 });
  const events: string[] = [];
  let other: Promise<unknown> | undefined;
  try {
    await load(first.table, first.workflowId, {
      pool,
      onBatchCommitted: async (n) => {
        events.push(`first ${n}`);
        // The first load holds both connections now (batch 2 is being written): the second load has to wait.
        if (n === 1)
          other = load(second.table, second.workflowId, {
            pool,
            onBatchCommitted: (m) => void events.push(`second ${m}`),
          });
        await new Promise((r) => setTimeout(r, 50));
      },
    });
    await other;
  } finally {
    await pool.end();
  }
  // Without giving a connection back, the second load could start only once the first had finished.
  expect(events.indexOf('second 1')).toBeLessThan(events.indexOf(`first ${batchCount}`));
  await expectExact(first.table, first.workflowId);
  await expectExact(second.table, second.workflowId);
});
