/**
 * `rerun` on the real Temporal server and Postgres: a new run of an ended run's definition and params that reuses
 * the outputs of the nodes that succeeded there (counted from the new run's history) and ends with the same target
 * table as a clean run; a load that failed half-way continues its ledger, so no row lands twice; requests that do
 * not apply are refused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PipewrightClient } from '../../src/client/client';
import { RunRefusedError } from '../../src/client/errors';
import { sweepRetention } from '../../src/data/retention';
import { runLiveness } from '../../src/data/run-liveness';
import { createTestData, type TestData } from '../helpers/data';
import { expectLedgerComplete } from '../helpers/ledger';
import { nodeOf } from '../helpers/runs';
import { connectHarness, uniqueId, type TemporalHarness } from '../helpers/temporal';

let h: TemporalHarness;
let d: TestData;
let pw: PipewrightClient;
let dir: string;

beforeAll(async () => {
  [h, d] = await Promise.all([connectHarness('rerun'), createTestData('rerun')]);
  await h.startWorker([], { data: d.services });
  pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-rerun-'));
  const orders = ['order_id,customer_id,amount'];
  for (let i = 1; i <= 2_000; i++) orders.push(`${i},${(i % 50) + 1},${(i % 97) + 0.5}`);
  fs.writeFileSync(path.join(dir, 'orders.csv'), `${orders.join('\n')}\n`);
  const customers = ['customer_id,region_code'];
  for (let i = 1; i <= 50; i++) customers.push(`${i},r${i % 4}`);
  fs.writeFileSync(path.join(dir, 'customers.csv'), `${customers.join('\n')}\n`);
});
afterAll(async () => {
  await h?.close();
  await d?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const fast = { retry: { maximumAttempts: 2, initialInterval: '100ms' } };

/**
 * Five nodes: orders -> load_orders (fused, straight into a target), customers (memoized), report (SQL over both
 * and a `regions` table the operator must create first), publish (the report into the target the param names).
 */
const reportPipeline = (name: string) => ({
  name,
  params: { target: { type: 'string' } },
  defaults: fast,
  nodes: [
    { id: 'orders', type: 'source.csv', params: { path: path.join(dir, 'orders.csv') } },
    {
      id: 'load_orders',
      type: 'sink.postgres',
      needs: ['orders'],
      params: { table: `${d.schema}.{{ params.target }}_orders`, mode: 'replace', createTable: true },
    },
    { id: 'customers', type: 'source.csv', params: { path: path.join(dir, 'customers.csv') }, cache: { ttl: '1h' } },
    {
      id: 'report',
      type: 'transform.sql',
      needs: ['load_orders', 'customers'],
      params: {
        sql: `SELECT r.region, count(*)::bigint AS orders, sum(o.amount::numeric) AS amount
                FROM {{ inputs.load_orders }} o
                JOIN {{ inputs.customers }} c ON c.customer_id = o.customer_id
                JOIN "${d.schema}".regions r ON r.code = c.region_code
               GROUP BY r.region`,
      },
    },
    {
      id: 'publish',
      type: 'sink.postgres',
      needs: ['report'],
      params: { table: `${d.schema}.{{ params.target }}`, mode: 'replace', createTable: true },
    },
  ],
});

/** The node activities the run scheduled (their activity ids), from its history. */
async function scheduledActivities(workflowId: string): Promise<string[]> {
  const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.activityTaskScheduledEventAttributes)
    .filter((a) => a?.activityType?.name === 'runNode')
    .map((a) => a?.activityId ?? '');
}

const tableRows = async (table: string) =>
  (await d.pool.query(`SELECT region, orders, amount::text FROM "${d.schema}"."${table}" ORDER BY region`)).rows;

test('rerun --from-failure of a failed 5-node run runs only the failed node and its dependent; same table as a clean run', async () => {
  const name = uniqueId('rerun-report');
  const first = await pw.start(reportPipeline(name), { params: { target: 'totals' } });
  const failed = await pw.result(first.workflowId);
  expect(failed.outcome).toBe('failed');
  expect(nodeOf(failed.status!, 'report').state).toBe('failed');
  expect(nodeOf(failed.status!, 'publish').state).toBe('skipped');
  expect(await scheduledActivities(first.workflowId)).toEqual(['orders..load_orders', 'customers', 'report']);

  // The operator's fix, outside the pipeline.
  await d.pool.query(`CREATE TABLE "${d.schema}".regions (code text PRIMARY KEY, region text NOT NULL)`);
  await d.pool.query(
    `INSERT INTO "${d.schema}".regions VALUES ('r0','north'),('r1','east'),('r2','south'),('r3','west')`,
  );

  const rerun = await pw.rerun(first.workflowId);
  expect(rerun.workflowId).not.toBe(first.workflowId);
  const done = await pw.result(rerun.workflowId);
  expect(done.outcome).toBe('completed');
  // Only the failed node and its dependent ran again; the three others kept their outputs (a target table, and a
  // memoized table that outlived the run).
  expect(await scheduledActivities(rerun.workflowId)).toEqual(['report', 'publish']);
  const status = done.status!;
  expect(status.rerunOf).toEqual({ workflowId: first.workflowId, runId: first.runId });
  expect(status.nodes.filter((n) => n.reused).map((n) => n.id)).toEqual(['orders', 'load_orders', 'customers']);
  expect(status.params).toEqual({ target: 'totals' });
  const memo = (await h.client.workflow.getHandle(rerun.workflowId).describe()).memo;
  expect(memo?.rerunOf).toBe(first.workflowId);

  const clean = await pw.start(reportPipeline(name), { params: { target: 'totals_clean' } });
  expect((await pw.result(clean.workflowId)).outcome).toBe('completed');
  const expected = await tableRows('totals_clean');
  expect(expected).toHaveLength(4);
  expect(await tableRows('totals')).toEqual(expected);
});

/**
 * `<name>.csv` of 3,000 rows whose row 2,500 is bad (a load with batchRows 1000 fails after two batches), the
 * table `<name>` for it, and `fix()`, which mends the row.
 */
async function halfBadFile(name: string): Promise<{ file: string; table: string; fix: () => void }> {
  const file = path.join(dir, `${name}.csv`);
  const lines = ['id,n'];
  for (let i = 1; i <= 3_000; i++) lines.push(i === 2_500 ? `${i},not-a-number` : `${i},${i}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const table = `${d.schema}.${name}`;
  await d.pool.query(`CREATE TABLE ${table} (id int, n int)`);
  const fix = () =>
    fs.writeFileSync(file, `${lines.map((l) => (l.startsWith('2500,') ? '2500,2500' : l)).join('\n')}\n`);
  return { file, table, fix };
}

test('a load that failed half-way continues its ledger in the rerun: every row once, none twice', async () => {
  const { file, table, fix } = await halfBadFile('people');
  const definition = {
    name: uniqueId('rerun-append'),
    defaults: fast,
    nodes: [
      {
        id: 'read',
        type: 'source.csv',
        params: {
          path: file,
          columns: [
            { name: 'id', type: 'int' },
            { name: 'n', type: 'int' },
          ],
          maxRejects: 0,
        },
      },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table, batchRows: 1000 } },
    ],
  };
  const first = await pw.start(definition);
  expect((await pw.result(first.workflowId)).outcome).toBe('failed');
  // Two batches landed before the bad row stopped the load.
  expect((await d.pool.query(`SELECT count(*)::int n FROM ${table}`)).rows[0].n).toBe(2_000);

  fix();
  const rerun = await pw.rerun(first.workflowId);
  const done = await pw.result(rerun.workflowId);
  expect(done.outcome).toBe('completed');
  expect(nodeOf(done.status!, 'load').output?.stats).toMatchObject({ rowsWritten: 3_000, rowsLoaded: 1_000 });
  const { rows } = await d.pool.query(
    `SELECT count(*)::int n, count(DISTINCT id)::int ids, sum(n)::bigint s FROM ${table}`,
  );
  expect(rows[0]).toEqual({ n: 3_000, ids: 3_000, s: String((3_000 * 3_001) / 2) });
  // One ledger, the failed run's, with batches 1..3 once each; nothing under the rerun's id.
  await expectLedgerComplete(d.pool, d.schema, {
    workflowId: first.workflowId,
    runId: first.runId,
    nodeId: 'load',
    sourceRows: 3_000,
    batchRows: 1000,
    target: table,
  });
  const own = await d.pool.query(`SELECT count(*)::int n FROM "${d.schema}".load_ledger WHERE workflow_id = $1`, [
    rerun.workflowId,
  ]);
  expect(own.rows[0].n).toBe(0);
});

test('a rerun of a run whose ledger the retention sweep removed fails its load with LedgerPruned, loading nothing twice', async () => {
  const { file, table, fix } = await halfBadFile('pruned');
  const columns = [
    { name: 'id', type: 'int' },
    { name: 'n', type: 'int' },
  ];
  const first = await pw.start({
    name: uniqueId('rerun-pruned'),
    defaults: fast,
    nodes: [
      { id: 'read', type: 'source.csv', params: { path: file, columns, maxRejects: 0 } },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table, batchRows: 1000 } },
    ],
  });
  expect((await pw.result(first.workflowId)).outcome).toBe('failed');
  // 100 days on, the sweep finds the run closed (asked of Temporal) and its ledger past 90 days.
  await d.pool.query(
    `UPDATE "${d.schema}".load_ledger SET committed_at = now() - interval '100 days' WHERE workflow_id = $1`,
    [first.workflowId],
  );
  const swept = await sweepRetention(d.pool, d.schema, {
    ledgerRetentionMs: 90 * 86_400_000,
    isRunOpen: runLiveness(h.client),
  });
  expect(swept.ledger).toMatchObject({ rows: 2, runs: 1 });

  fix();
  const rerun = await pw.rerun(first.workflowId);
  const done = await pw.result(rerun.workflowId);
  expect(done.outcome).toBe('failed');
  const failed = done.status?.nodes.find((n) => n.error?.type === 'LedgerPruned');
  expect(failed?.error).toMatchObject({ nonRetryable: true, message: expect.stringMatching(/retention sweep/) });
  // The two batches of the first run are there once; nothing was loaded again.
  const { rows } = await d.pool.query(`SELECT count(*)::int n, count(DISTINCT id)::int ids FROM ${table}`);
  expect(rows[0]).toEqual({ n: 2_000, ids: 2_000 });
});

test('refusals: a run still open, nothing failed, an unknown node', async () => {
  const open = await pw.start({
    name: uniqueId('rerun-open'),
    nodes: [{ id: 'wait', type: 'sleep', params: { duration: '20s' } }],
  });
  await expect(pw.rerun(open.workflowId)).rejects.toThrow(RunRefusedError);
  await expect(pw.rerun(open.workflowId)).rejects.toThrow(/still open: retry or skip a held node in place/);
  await pw.cancel(open.workflowId);

  const ok = await pw.start({
    name: uniqueId('rerun-ok'),
    nodes: [
      { id: 'a', type: 'noop' },
      { id: 'b', type: 'noop', needs: ['a'] },
    ],
  });
  expect((await pw.result(ok.workflowId)).outcome).toBe('completed');
  await expect(pw.rerun(ok.workflowId)).rejects.toThrow(/every node succeeded in that run.*--from <node>/);
  await expect(pw.rerun(ok.workflowId, { from: { node: 'zz' } })).rejects.toThrow(
    /unknown node "zz"; the pipeline's nodes are a, b/,
  );
  // --from a node of a completed run runs it and what follows it.
  const again = await pw.rerun(ok.workflowId, { from: { node: 'b' } });
  const done = await pw.result(again.workflowId);
  expect(done.status?.nodes.map((n) => [n.id, n.state, n.reused ?? false])).toEqual([
    ['a', 'cached', true],
    ['b', 'succeeded', false],
  ]);
});
