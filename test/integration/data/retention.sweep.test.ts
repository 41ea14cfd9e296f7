/**
 * The retention sweep of the ledger and the rejects, on real Postgres: old rows of closed runs go in bounded
 * deletes; recent rows, open runs' rows and a ledger a rerun wrote to recently stay; a pruned ledger makes a load
 * that would continue it fail instead of loading twice; locked rows do not hold the sweep; a load running during the
 * sweep is neither blocked nor changed.
 */
import type pg from 'pg';
import { sweepRetention, type RetentionOptions } from '../../../src/data/retention';
import type { RunKey } from '../../../src/data/tables/staging';
import { FailureType } from '../../../src/engine/failure-types';
import { expectLedgerComplete } from '../../helpers/ledger';
import { freshTarget, loadText, makeCsv, targetState } from './load-fixture';
import { createScratch, type Scratch } from './pg-scratch';

const DAY_MS = 86_400_000;

let s: Scratch;
beforeAll(async () => (s = await createScratch('retention')));
afterAll(() => s.drop());
beforeEach(() =>
  s.registry.getPool().query(`TRUNCATE ${s.schema}.load_ledger, ${s.schema}.rejects, ${s.schema}.ledger_pruned`),
);

const pool = (): pg.Pool => s.registry.getPool();

/** `batches` ledger rows and `rejects` rejects of `run`, all `ageDays` old. */
async function seed(run: RunKey, batches: number, rejects: number, ageDays: number): Promise<void> {
  await pool().query(
    `INSERT INTO ${s.schema}.load_ledger (workflow_id, run_id, node_id, batch_no, row_count, committed_at)
     SELECT $1, $2, 'load', g, 10, now() - make_interval(days => $4) FROM generate_series(1, $3::int) g`,
    [run.workflowId, run.runId, batches, ageDays],
  );
  await pool().query(
    `INSERT INTO ${s.schema}.rejects (workflow_id, run_id, node_id, batch_no, line_no, raw, reason)
     SELECT $1, $2, 'read', 1, g, 'x', 'bad' FROM generate_series(1, $3::int) g`,
    [run.workflowId, run.runId, rejects],
  );
  // Made old after the insert, as time would.
  await pool().query(
    `UPDATE ${s.schema}.rejects SET created_at = now() - make_interval(days => $3)
     WHERE workflow_id = $1 AND run_id = $2`,
    [run.workflowId, run.runId, ageDays],
  );
}

const count = async (table: string, run: RunKey): Promise<number> => {
  const { rows } = await pool().query<{ n: string }>(
    `SELECT count(*) n FROM ${s.schema}.${table} WHERE workflow_id = $1 AND run_id = $2`,
    [run.workflowId, run.runId],
  );
  return Number(rows[0]?.n);
};

/** Records the row count of every DELETE the pool's clients run while `fn` runs. */
async function deletesDuring<T>(fn: () => Promise<T>): Promise<{ result: T; deletes: number[] }> {
  const deletes: number[] = [];
  const wrapped = new WeakSet<pg.PoolClient>();
  const onAcquire = (client: pg.PoolClient) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
    (client as unknown as { query: unknown }).query = async (...args: unknown[]) => {
      const res = await query(...args);
      if (typeof args[0] === 'string' && args[0].startsWith('DELETE')) deletes.push(res.rowCount ?? 0);
      return res;
    };
  };
  pool().on('acquire', onAcquire);
  try {
    return { result: await fn(), deletes };
  } finally {
    pool().off('acquire', onAcquire);
  }
}

const retention = (isOpen: (run: RunKey) => boolean, extra: Partial<RetentionOptions> = {}): RetentionOptions => ({
  ledgerRetentionMs: 90 * DAY_MS,
  rejectsRetentionMs: 30 * DAY_MS,
  isRunOpen: async (run) => isOpen(run),
  ...extra,
});

test('deletes old ledger and rejects of closed runs in bounded batches; keeps recent rows, open runs and a ledger continued lately', async () => {
  const old = { workflowId: 'wf-old', runId: 'r-old' };
  const open = { workflowId: 'wf-open', runId: 'r-open' };
  const recent = { workflowId: 'wf-recent', runId: 'r-recent' };
  const continued = { workflowId: 'wf-continued', runId: 'r-continued' };
  const rejectsOnly = { workflowId: 'wf-rejects', runId: 'r-rejects' };
  await seed(old, 3_500, 2_500, 100);
  await seed(open, 20, 20, 100);
  await seed(recent, 20, 20, 10);
  await seed(continued, 20, 0, 100);
  await seed(rejectsOnly, 0, 30, 40);
  // A rerun continues the old run's ledger under its key: one batch committed just now.
  await pool().query(
    `INSERT INTO ${s.schema}.load_ledger (workflow_id, run_id, node_id, batch_no, row_count) VALUES ($1, $2, 'load', 21, 10)`,
    [continued.workflowId, continued.runId],
  );
  const isOpen = (run: RunKey) => run.workflowId === open.workflowId;

  const dry = await sweepRetention(pool(), s.schema, retention(isOpen, { dryRun: true }));
  expect(dry.ledger).toEqual({ rows: 3_500, runs: 1, kept: 2 });
  expect(await count('load_ledger', old)).toBe(3_500);

  const { result, deletes } = await deletesDuring(() =>
    sweepRetention(pool(), s.schema, retention(isOpen, { batchRows: 1_000 })),
  );
  // The continued ledger is a candidate (old rows) but refused in the transaction of its first delete.
  expect(result.ledger).toEqual({ rows: 3_500, runs: 1, kept: 2 });
  expect(result.rejects).toEqual({ rows: 2_530, runs: 2, kept: 1 });
  expect(Math.max(...deletes)).toBeLessThanOrEqual(1_000);
  expect(deletes.filter((n) => n > 0).length).toBeGreaterThanOrEqual(4 + 3);

  expect(await count('load_ledger', old)).toBe(0);
  expect(await count('rejects', old)).toBe(0);
  expect(await count('rejects', rejectsOnly)).toBe(0);
  expect(await count('load_ledger', open)).toBe(20);
  expect(await count('rejects', open)).toBe(20);
  expect(await count('load_ledger', recent)).toBe(20);
  expect(await count('rejects', recent)).toBe(20);
  expect(await count('load_ledger', continued)).toBe(21);
  const pruned = await pool().query(`SELECT workflow_id, run_id FROM ${s.schema}.ledger_pruned ORDER BY 1`);
  expect(pruned.rows).toEqual([{ workflow_id: old.workflowId, run_id: old.runId }]);

  // Nothing left to do; `off` leaves a table alone.
  const again = await sweepRetention(
    pool(),
    s.schema,
    retention(() => false, { ledgerRetentionMs: undefined }),
  );
  expect(again.ledger).toEqual({ rows: 0, runs: 0, kept: 0 });
  expect(again.rejects).toEqual({ rows: 20, runs: 1, kept: 0 });
  expect(await count('load_ledger', open)).toBe(20);
});

test('a load that would continue a pruned ledger fails with LedgerPruned instead of loading its batches again', async () => {
  const run = { workflowId: 'wf-pruned', runId: 'r1' };
  await seed(run, 5, 0, 100);
  await sweepRetention(
    pool(),
    s.schema,
    retention(() => false),
  );
  const { text } = makeCsv(50);
  const { table, workflowId } = await freshTarget(s);
  // A rerun's load continuing that run's ledger, and a retry of the run's own load.
  await expect(loadText(s, text, table, workflowId, 10, { ledgerRun: run })).rejects.toMatchObject({
    name: FailureType.LedgerPruned,
    nonRetryable: true,
  });
  await expect(loadText(s, text, table, run.workflowId, 10)).rejects.toThrow(/removed by the retention sweep/);
  expect((await targetState(pool(), s.schema, table, workflowId)).ids).toEqual([]);
});

test('rows locked by someone else do not hold the sweep: that run is kept for the next sweep', async () => {
  const run = { workflowId: 'wf-locked', runId: 'r1' };
  await seed(run, 10, 0, 100);
  const holder = await pool().connect();
  try {
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM ${s.schema}.load_ledger WHERE workflow_id = $1 AND batch_no = 1 FOR UPDATE`, [
      run.workflowId,
    ]);
    const started = Date.now();
    const result = await sweepRetention(
      pool(),
      s.schema,
      retention(() => false, { lockTimeoutMs: 200, rejectsRetentionMs: undefined }),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.ledger).toEqual({ rows: 0, runs: 0, kept: 1 });
  } finally {
    await holder.query('ROLLBACK');
    holder.release();
  }
  expect(await count('load_ledger', run)).toBe(10);
  // The tombstone was rolled back with the delete: the run can still continue its ledger.
  expect(
    (await pool().query(`SELECT 1 FROM ${s.schema}.ledger_pruned WHERE workflow_id = $1`, [run.workflowId])).rowCount,
  ).toBe(0);
  const later = await sweepRetention(
    pool(),
    s.schema,
    retention(() => false, { rejectsRetentionMs: undefined }),
  );
  expect(later.ledger).toEqual({ rows: 10, runs: 1, kept: 0 });
});

test('a load committing batches while the sweep deletes is not blocked and loses nothing', async () => {
  for (let i = 0; i < 8; i++) await seed({ workflowId: `wf-bulk-${i}`, runId: 'r1' }, 5_000, 1_000, 100);
  const RECORDS = 3_000;
  const BATCH = 200;
  const { text, goodIds, rejectLines } = makeCsv(RECORDS);
  const { table, workflowId } = await freshTarget(s);
  const [swept, loaded] = await Promise.all([
    sweepRetention(
      pool(),
      s.schema,
      retention(() => false, { batchRows: 500 }),
    ),
    loadText(s, text, table, workflowId, BATCH),
  ]);
  expect(swept.ledger.rows).toBe(40_000);
  expect(swept.rejects.rows).toBe(8_000);
  expect(loaded.rows).toBe(goodIds.length);
  const state = await targetState(pool(), s.schema, table, workflowId);
  expect(state.duplicates).toBe(0);
  expect(state.ids).toEqual(goodIds);
  await expectLedgerComplete(pool(), s.schema, {
    workflowId,
    runId: 'r1',
    nodeId: 'load',
    sourceRows: goodIds.length,
    sourceRejects: rejectLines.length,
    batchRows: BATCH,
    target: `${s.schema}.${table}`,
  });
  expect(await count('rejects', { workflowId, runId: 'r1' })).toBe(rejectLines.length);
});
