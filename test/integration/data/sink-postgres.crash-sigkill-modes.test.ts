/**
 * Exactly-once for every load mode: one worker process (worker/main.ts) runs an upsert, a replace, a replace of a
 * table a view depends on (the rename-and-drop swap fails with 2BP01 and the rows are copied in instead), an atomic
 * append and a replace-where, all of the same file. Each load is held between batches (another transaction claims its
 * ledger batch HELD_BATCH) until the process is killed with SIGKILL; an in-process worker then finishes every run.
 * Each target must then equal the same file loaded cleanly by SQL (`\copy`, then the mode's statement), the ledger
 * must hold each batch once and the publish once, and no landing or staging table may be left.
 */
import type { RunStatus } from '../../../src/model/state';
import { createTestData, type TestData } from '../../helpers/data';
import { expectLedgerComplete } from '../../helpers/ledger';
import {
  checkpointedBatch,
  dataWorkerEnv,
  expectNothingLeftBehind,
  holdLedgerBatch,
  salesLoad,
  takeoverWorker,
} from '../../helpers/load-run';
import { psqlCopy } from '../../helpers/psql-copy';
import { createSalesFile, SALES_COLUMNS, SALES_DDL, type SalesFile } from '../../helpers/sales-file';
import { nodeOf, startPipeline, type PipelineHandle } from '../../helpers/runs';
import { tableChecksum, type TableChecksum } from '../../helpers/table-checksum';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';
import { spawnWorkerProcess } from '../../helpers/worker-process';

const ROWS = 30_000;
const BATCH_ROWS = 2_000;
/** The batch each load waits at when the worker is killed: batches 1..HELD_BATCH-1 are committed. */
const HELD_BATCH = 6;
const COLUMNS = SALES_COLUMNS.map((c) => c.name);

interface Case {
  readonly id: string;
  /** Sink params besides table and batchRows. */
  readonly sink: Record<string, unknown>;
  /** Makes the target (`t`) as the load finds it; `file` holds the file's rows. */
  readonly before: (t: string) => string;
  /** Makes `e` (a copy of the target as it was) what a clean load of the file leaves. */
  readonly expected: (e: string) => string;
  /** Rows of the target after the load. */
  readonly rows: number;
  readonly published: boolean;
}

/** Rows of the file changed so that a load that skips or repeats one shows. */
const OLD = (where: string, id = 'id', ts = 'ts') =>
  `SELECT ${id}, ${ts}, region, 'old-' || product, 0, 0 FROM file WHERE ${where}`;

const CASES: readonly Case[] = [
  {
    id: 'upsert',
    sink: { mode: 'upsert', key: ['id'] },
    // Every third id of the file is there with other values, and 1,000 ids the file does not have.
    before: (t) => `ALTER TABLE ${t} ADD PRIMARY KEY (id);
      INSERT INTO ${t} ${OLD('id % 3 = 0')}; INSERT INTO ${t} ${OLD('id <= 1000', `id + ${ROWS}`)}`,
    expected: (e) => `ALTER TABLE ${e} ADD PRIMARY KEY (id);
      INSERT INTO ${e} SELECT * FROM file ON CONFLICT (id) DO UPDATE SET ts = excluded.ts, region = excluded.region,
        product = excluded.product, qty = excluded.qty, price = excluded.price`,
    rows: ROWS + 1000,
    published: false,
  },
  {
    id: 'replace',
    sink: { mode: 'replace' },
    before: (t) => `INSERT INTO ${t} ${OLD('id <= 5000')}`,
    expected: (e) => `TRUNCATE ${e}; INSERT INTO ${e} SELECT * FROM file`,
    rows: ROWS,
    published: true,
  },
  {
    id: 'replace_viewed',
    sink: { mode: 'replace' },
    before: (t) => `INSERT INTO ${t} ${OLD('id <= 5000')}; CREATE VIEW ${t}_v AS SELECT id, qty FROM ${t}`,
    expected: (e) => `TRUNCATE ${e}; INSERT INTO ${e} SELECT * FROM file`,
    rows: ROWS,
    published: true,
  },
  {
    id: 'atomic_append',
    sink: { atomic: true },
    before: (t) => `INSERT INTO ${t} ${OLD('id <= 1000', '-id')}`,
    expected: (e) => `INSERT INTO ${e} SELECT * FROM file`,
    rows: ROWS + 1000,
    published: true,
  },
  {
    id: 'replace_where',
    // Every generated ts lies in 2024: the file is that partition.
    sink: { mode: 'replace-where', where: { column: 'ts', from: '2024-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' } },
    // Rows of 2023 stay; the partition's rows are replaced.
    before: (t) =>
      `INSERT INTO ${t} ${OLD('id <= 1000', '-id', `ts - interval '1 year'`)}; INSERT INTO ${t} ${OLD('id <= 3000')}`,
    expected: (e) =>
      `DELETE FROM ${e} WHERE ts >= '2024-01-01T00:00:00Z' AND ts < '2025-01-01T00:00:00Z'; INSERT INTO ${e} SELECT * FROM file`,
    rows: ROWS + 1000,
    published: true,
  },
];

let h: TemporalHarness;
let d: TestData;
let sales: SalesFile;
let queue: string;
const runs = new Map<string, PipelineHandle>();
const statuses = new Map<string, RunStatus>();
/** The loads' targets' oids before the loads: a swap replaces the table, the 2BP01 fallback keeps it. */
const oidsBefore = new Map<string, number>();
let committedAtKill: Array<{ workflow_id: string; n: number }>;
/** Each target's checksum before the loads and right after the kill. */
const before = new Map<string, TableChecksum>();
const atKill = new Map<string, TableChecksum>();
const checksum = (id: string) => tableChecksum(d.pool, `${d.schema}.${id}`, COLUMNS);

const t = (id: string) => `"${d.schema}".${id}`;
const oidOf = async (id: string) =>
  (await d.rows<{ oid: number }>(`SELECT to_regclass($1)::oid::int AS oid`, [t(id)]))[0]?.oid;

beforeAll(async () => {
  [h, d, sales] = await Promise.all([
    connectHarness('crash-modes'),
    createTestData('crashmodes'),
    createSalesFile(ROWS),
  ]);
  queue = `${h.taskQueue}-crash`;
  // The file as a clean load reads it, and each target and its expected state from the same starting rows.
  await d.pool.query(`CREATE TABLE ${t('file')} ${SALES_DDL}`);
  psqlCopy(`${d.schema}.file`, sales.path);
  // SET LOCAL: `file` names the test's table only in these statements, never on the pool's connection afterwards.
  const inSchema = (sql: string) => d.pool.query(`BEGIN; SET LOCAL search_path = "${d.schema}"; ${sql}; COMMIT`);
  for (const c of CASES) {
    await inSchema(`CREATE TABLE ${t(c.id)} ${SALES_DDL}; ${c.before(t(c.id))}`);
    await inSchema(
      `CREATE TABLE ${t(`${c.id}_expected`)} AS SELECT * FROM ${t(c.id)}; ${c.expected(t(`${c.id}_expected`))}`,
    );
    oidsBefore.set(c.id, (await oidOf(c.id)) as number);
    before.set(c.id, await checksum(c.id));
  }

  // Started before any worker polls the queue, so that each load's batch HELD_BATCH is claimed before it gets there.
  for (const c of CASES)
    runs.set(
      c.id,
      await startPipeline(
        h.client,
        queue,
        salesLoad({
          name: `crash-${c.id}`,
          path: sales.path,
          table: `${d.schema}.${c.id}`,
          batchRows: BATCH_ROWS,
          sink: c.sink,
          defaults: { heartbeatTimeout: '3s', retry: { initialInterval: '200ms', maximumAttempts: 5 } },
        }),
      ),
    );
  const handles = [...runs.values()];
  const hold = await holdLedgerBatch(d, handles, HELD_BATCH);
  const first = spawnWorkerProcess(h.address, queue, {
    ...dataWorkerEnv(d),
    // Checkpoints reach Temporal within 200 ms, so the kill can wait for each load's last one.
    PIPEWRIGHT_HEARTBEAT_THROTTLE: '200ms',
    PIPEWRIGHT_DB_POOL_MAX: '30',
  });
  try {
    await first.ready;
    // Kill once every load has committed the batches before the held one and Temporal has its checkpoint.
    const deadline = Date.now() + 30_000;
    let behind = handles;
    while (behind.length > 0 && Date.now() < deadline) {
      const batches = await Promise.all(behind.map((r) => checkpointedBatch(h.client, r.workflowId)));
      behind = behind.filter((_, i) => batches[i] !== HELD_BATCH - 1);
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    expect(behind.map((r) => r.workflowId)).toEqual([]);
    for (const c of CASES) atKill.set(c.id, await checksum(c.id));
    committedAtKill = await d.rows(
      `SELECT workflow_id, count(*)::int n FROM "${d.schema}".load_ledger WHERE workflow_id = ANY($1) GROUP BY 1`,
      [handles.map((r) => r.workflowId)],
    );
  } finally {
    if (first.child.exitCode === null) first.child.kill('SIGKILL');
    await hold.release();
  }

  const takeover = await takeoverWorker(h, queue, d);
  const results = await takeover.runUntil(Promise.all(handles.map((r) => r.result())));
  CASES.forEach((c, i) => statuses.set(c.id, (results[i] as { status: RunStatus }).status));
}, 120_000);
afterAll(async () => {
  await h?.close();
  await d?.drop();
  sales?.remove();
});

test('the kill found every load between batches: batches before the held one committed, none after', () => {
  expect(committedAtKill).toEqual(
    expect.arrayContaining([...runs.values()].map((r) => ({ workflow_id: r.workflowId, n: HELD_BATCH - 1 }))),
  );
  expect(committedAtKill).toHaveLength(CASES.length);
});

test('killed mid-load, a replace, replace-where or atomic append shows nothing of it; an upsert shows its batches', () => {
  for (const c of CASES) {
    if (c.published) expect({ [c.id]: atKill.get(c.id) }).toEqual({ [c.id]: before.get(c.id) });
    else expect(atKill.get(c.id)?.md5).not.toBe(before.get(c.id)?.md5);
  }
});

describe.each(CASES.map((c) => [c.id, c] as const))('%s', (id, c) => {
  test('a second attempt resumed after the checkpoint and finished the run', () => {
    const status = statuses.get(id) as RunStatus;
    expect(status.state).toBe('completed');
    const load = nodeOf(status, 'load');
    expect(load.attempts).toBe(2);
    expect(load.output?.stats?.resumedAfterBatch).toBe(HELD_BATCH - 1);
    expect(load.output?.stats?.rowsLoaded).toBe(ROWS - (HELD_BATCH - 1) * BATCH_ROWS);
    expect(load.output?.stats?.rowsWritten).toBe(ROWS);
  });

  test('the target equals a clean load of the file (count and per-row checksum)', async () => {
    const [got, want] = await Promise.all([
      tableChecksum(d.pool, `${d.schema}.${id}`, COLUMNS),
      tableChecksum(d.pool, `${d.schema}.${id}_expected`, COLUMNS),
    ]);
    expect(want.count).toBe(c.rows);
    expect(got).toEqual(want);
    const [{ ids } = { ids: -1 }] = await d.rows<{ ids: number }>(`SELECT count(DISTINCT id)::int ids FROM ${t(id)}`);
    expect(ids).toBe(c.rows);
  });

  test('the ledger holds batches 1..n once each (and the publish once), under the run id', async () => {
    const run = runs.get(id) as PipelineHandle;
    await expectLedgerComplete(d.pool, d.schema, {
      workflowId: run.workflowId,
      runId: run.firstExecutionRunId,
      nodeId: 'load',
      sourceRows: ROWS,
      batchRows: BATCH_ROWS,
      target: t(id),
      targetRows: c.rows,
      published: c.published,
    });
  });
});

test('a replace swaps a new table in; with a view on the target it keeps the table, and the view shows the new rows', async () => {
  expect(await oidOf('replace')).not.toBe(oidsBefore.get('replace'));
  expect(await oidOf('replace_viewed')).toBe(oidsBefore.get('replace_viewed'));
  const view = await d.rows<{ n: number; qty: string }>(
    `SELECT count(*)::int n, sum(qty)::text qty FROM ${t('replace_viewed')}_v`,
  );
  const file = await d.rows<{ n: number; qty: string }>(`SELECT count(*)::int n, sum(qty)::text qty FROM ${t('file')}`);
  expect(view).toEqual(file);
});

test('no landing, swapped-out or staging table is left, nor any staging_tables entry', async () => {
  await expectNothingLeftBehind(
    d,
    d.schema,
    [...runs.values()].map((r) => r.workflowId),
  );
});
