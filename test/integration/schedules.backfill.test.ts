/**
 * Backfills with `replace-where` partition loads, on the real Temporal dev server and Postgres: a backfill over 5
 * days loads each day's file (named by the run's logical date) into its own partition of one table exactly once;
 * the same backfill again leaves the table identical; a worker process SIGKILLed in the middle of a backfill changes
 * nothing in the end result. Also: rows outside the partition fail the node and change nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PipewrightClient } from '../../src/client/client';
import { createTestData, type TestData } from '../helpers/data';
import { dataWorkerEnv, takeoverWorker } from '../helpers/load-run';
import { failureOf } from '../helpers/runs';
import { connectHarness, uniqueId, type TemporalHarness } from '../helpers/temporal';
import { spawnWorkerProcess } from '../helpers/worker-process';

const DAYS = ['2024-05-01', '2024-05-02', '2024-05-03', '2024-05-04', '2024-05-05'];
const ROWS_PER_DAY = 20_000;

let h: TemporalHarness;
let d: TestData;
let pw: PipewrightClient;
let dir: string;
const schedules: string[] = [];

beforeAll(async () => {
  [h, d] = await Promise.all([connectHarness('backfill'), createTestData('backfill')]);
  await h.startWorker([], { data: d.services });
  pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-backfill-'));
  DAYS.forEach((day, k) => {
    const lines = ['id,day,amount'];
    for (let i = 1; i <= ROWS_PER_DAY; i++) lines.push(`${k * ROWS_PER_DAY + i},${day},${(i * 7) % 1000}.${i % 100}`);
    fs.writeFileSync(path.join(dir, `day-${day}.csv`), `${lines.join('\n')}\n`);
  });
}, 60_000);
afterAll(async () => {
  for (const id of schedules) await pw.schedules.delete(id).catch(() => undefined);
  await h?.close();
  await d?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const daily = (table: string) => ({
  name: uniqueId('daily'),
  nodes: [
    {
      id: 'extract',
      type: 'source.csv',
      params: {
        path: `${dir}/day-{{ run.logicalDate | date }}.csv`,
        columns: [
          { name: 'id', type: 'bigint' },
          { name: 'day', type: 'date' },
          { name: 'amount', type: 'numeric' },
        ],
      },
    },
    {
      id: 'load',
      type: 'sink.postgres',
      needs: ['extract'],
      params: {
        table,
        createTable: true,
        mode: 'replace-where',
        where: { column: 'day', equals: '{{ run.logicalDate | date }}' },
        batchRows: 5_000,
      },
    },
  ],
});

/** Rows per day, and a checksum over every row that tells one table's contents from another's. */
const fingerprint = async (table: string) => ({
  perDay: await d.rows<{ day: string; n: string }>(
    `SELECT day::text, count(*) n FROM ${table} GROUP BY day ORDER BY day`,
  ),
  total: (
    await d.rows<{ n: string; ids: string; sum: string }>(
      `SELECT count(*) n, count(DISTINCT id) ids, sum(hashtext(t::text)::numeric) sum FROM ${table} t`,
    )
  )[0],
});

const expectedPerDay = DAYS.map((day) => ({ day, n: String(ROWS_PER_DAY) }));

async function backfillToEnd(id: string): Promise<void> {
  const started = await pw.schedules.backfill(id, { from: DAYS[0]!, to: DAYS[DAYS.length - 1]! });
  expect(started.expected).toBe(DAYS.length);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const p = await pw.schedules.backfillProgress(id, { from: DAYS[0]!, to: DAYS[DAYS.length - 1]! });
    if (p.done && p.runs.length >= DAYS.length) {
      expect(p.failed).toBe(0);
      return;
    }
    if (Date.now() > deadline) throw new Error(`backfill of ${id} did not finish: ${JSON.stringify(p)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('a 5-day backfill loads each day once; the same backfill again leaves the table identical', async () => {
  const table = `${d.schema}.orders`;
  const id = uniqueId('bf');
  schedules.push(id);
  await pw.schedules.create({ scheduleId: id, definition: daily(table), every: '1d', paused: true });
  await backfillToEnd(id);
  const first = await fingerprint(table);
  expect(first.perDay).toEqual(expectedPerDay);
  expect(first.total?.ids).toBe(String(DAYS.length * ROWS_PER_DAY));

  // Each run saw its own logical date: the run of 2024-05-03 loaded day-2024-05-03.csv.
  const progress = await pw.schedules.backfillProgress(id, { from: DAYS[0]!, to: DAYS[4]! });
  expect(progress.runs.map((r) => r.scheduledAt?.toISOString().slice(0, 10))).toEqual(DAYS);

  // Twice the same backfill: ten runs, and not one row doubled or lost.
  await pw.schedules.backfill(id, { from: DAYS[0]!, to: DAYS[4]! });
  const deadline = Date.now() + 90_000;
  while ((await pw.list({ schedule: id, state: 'completed', limit: 50 })).length < 2 * DAYS.length) {
    if (Date.now() > deadline) throw new Error('the second backfill did not finish');
    await new Promise((r) => setTimeout(r, 250));
  }
  await new Promise((r) => setTimeout(r, 200));
  expect(await fingerprint(table)).toEqual(first);
}, 150_000);

test('a worker SIGKILLed in the middle of a backfill changes nothing in the end result', async () => {
  const reference = `${d.schema}.reference`;
  const table = `${d.schema}.orders_crash`;
  // The reference: the same backfill, undisturbed.
  const ref = uniqueId('bf-ref');
  schedules.push(ref);
  await pw.schedules.create({ scheduleId: ref, definition: daily(reference), every: '1d', paused: true });
  await backfillToEnd(ref);

  const queue = `${h.taskQueue}-crash`;
  const doomed = spawnWorkerProcess(h.address, queue, { ...dataWorkerEnv(d), PIPEWRIGHT_HEARTBEAT_THROTTLE: '200ms' });
  await doomed.ready;
  const id = uniqueId('bf-crash');
  schedules.push(id);
  await pw.schedules.create({
    scheduleId: id,
    definition: { ...daily(table), defaults: { heartbeatTimeout: '3s', retry: { initialInterval: '200ms' } } },
    every: '1d',
    paused: true,
    taskQueue: queue,
  });
  await pw.schedules.backfill(id, { from: DAYS[0]!, to: DAYS[4]! });
  // Kill once one day has landed and the next is loading.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const p = await pw.schedules.backfillProgress(id, { from: DAYS[0]!, to: DAYS[4]! });
    const ledger = await d.rows<{ n: string }>(
      `SELECT count(*) n FROM "${d.schema}".load_ledger WHERE workflow_id LIKE $1 AND node_id = 'load'`,
      [`%--${id}-%`],
    );
    if (p.completed >= 1 && p.running >= 1 && Number(ledger[0]?.n) > p.completed * (ROWS_PER_DAY / 5_000)) break;
    if (Date.now() > deadline) throw new Error(`the backfill never got under way: ${JSON.stringify(p)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  doomed.child.kill('SIGKILL');
  await doomed.exited;
  const replacement = await takeoverWorker(h, queue, d);
  await replacement.runUntil(async () => {
    const end = Date.now() + 90_000;
    for (;;) {
      const p = await pw.schedules.backfillProgress(id, { from: DAYS[0]!, to: DAYS[4]! });
      if (p.done && p.runs.length >= DAYS.length) return expect(p.completed).toBe(DAYS.length);
      if (Date.now() > end) throw new Error(`backfill after the crash did not finish: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });
  expect(await fingerprint(table)).toEqual(await fingerprint(reference));
}, 240_000);

test('rows outside the partition fail the load non-retryably and change nothing', async () => {
  const table = `${d.schema}.orders_bad`;
  await d.pool.query(`CREATE TABLE ${table} (id bigint, day date, amount numeric)`);
  await d.pool.query(`INSERT INTO ${table} VALUES (1, '2024-05-02', 1)`);
  const definition = daily(table);
  (definition.nodes[1]!.params as { where: unknown }).where = { column: 'day', equals: '2024-05-02' };
  // The file of 2024-05-01 into the partition of 2024-05-02.
  const run = await pw.start(definition, { logicalDate: '2024-05-01T00:00:00Z' });
  const cause = await failureOf(h.client.workflow.getHandle(run.workflowId).result());
  expect(cause.message).toMatch(
    /PartitionMismatch: node "load": 20000 rows for .*orders_bad lie outside the partition day = 2024-05-02/,
  );
  expect(await d.rows(`SELECT id::text, day::text FROM ${table}`)).toEqual([{ id: '1', day: '2024-05-02' }]);
});
