/**
 * A file source whose path is a glob runs one activity per file (partition), at most `parallelism` at once, each
 * loading its own batches exactly once: 200 small files against psql's `\copy` of the same files concatenated, a
 * partition that fails mid-load and is retried, continue-as-new in the middle of a partitioned node, a partitioned
 * source feeding staging and SQL, and a glob that matches nothing. Each test in this file's own schemas.
 */
import fs from 'node:fs';
import type { PipelineResult } from '../../../src/engine/run-input';
import type { RunStatus } from '../../../src/model/state';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { psqlCopy } from '../../helpers/psql-copy';
import { tableChecksum } from '../../helpers/table-checksum';
import { failureOf, nodeOf, startPipeline, waitForStatus, type PipelineHandle } from '../../helpers/runs';
import { retryNodeUpdate, setPausedUpdate } from '../../../src/engine/messages';

let env: DataHarness;
beforeAll(async () => (env = await startDataHarness('parts')));
afterAll(async () => env?.close());

const columns = [
  { name: 'id', type: 'int' },
  { name: 'name', type: 'text' },
  { name: 'amount', type: 'numeric' },
];
const names = columns.map((c) => c.name);

/** `files` CSV files `<prefix>-NNN.csv` of `rows` rows each (quotes, commas, newlines, NULLs); returns the pattern. */
function writeFiles(prefix: string, files: number, rows: number): { pattern: string; paths: string[] } {
  const paths: string[] = [];
  for (let f = 0; f < files; f++) {
    const lines = ['id,name,amount'];
    for (let r = 0; r < rows; r++) {
      const id = f * rows + r;
      const name = id % 7 === 0 ? `"quoted, ""${id}""\nline"` : id % 5 === 0 ? '' : `n${id}`;
      lines.push(`${id},${name},${id % 3 === 0 ? '' : `${id}.25`}`);
    }
    paths.push(env.file(`${prefix}-${String(f).padStart(3, '0')}.csv`, `${lines.join('\n')}\n`));
  }
  return { pattern: env.path(`${prefix}-*.csv`), paths };
}

/** The reference: psql `\copy` of the files concatenated (one header). */
async function reference(table: string, paths: readonly string[]): Promise<void> {
  const all = paths.map((p, i) => {
    const text = fs.readFileSync(p, 'utf8');
    return i === 0 ? text : text.slice(text.indexOf('\n') + 1);
  });
  const file = env.file(`${table.replace(/\W/g, '_')}-all.csv`, all.join(''));
  await env.db.pool.query(`CREATE TABLE ${table} (id int, name text, amount numeric)`);
  psqlCopy(table, file);
}

const load = (pattern: string, sink: object, extra: object = {}) => ({
  name: 'glob-load',
  defaults: { parallelism: 4, retry: { maximumAttempts: 3, initialInterval: '100ms' } },
  ...extra,
  nodes: [
    { id: 'read', type: 'source.csv', params: { path: pattern, columns } },
    { id: 'load', type: 'sink.postgres', needs: ['read'], params: sink },
  ],
});

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);

const result = async (handle: PipelineHandle): Promise<RunStatus> => ((await handle.result()) as PipelineResult).status;

type History = Awaited<ReturnType<PipelineHandle['fetchHistory']>>;

/** ActivityTaskScheduled activity ids across every run of the workflow (following continue-as-new). */
async function scheduledIds(
  handle: PipelineHandle,
): Promise<{ ids: string[]; runs: number; maxAtOnce: number; events: number }> {
  const ids: string[] = [];
  let runId: string | undefined = handle.firstExecutionRunId;
  let runs = 0;
  let open = 0;
  let maxAtOnce = 0;
  let total = 0;
  while (runId !== undefined) {
    runs++;
    const history: History = await env.h.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    total += events.length;
    for (const e of events) {
      const id = e.activityTaskScheduledEventAttributes?.activityId;
      if (id) ids.push(id);
      if (id) maxAtOnce = Math.max(maxAtOnce, ++open);
      if (e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes) open--;
      if (e.activityTaskTimedOutEventAttributes || e.activityTaskCanceledEventAttributes) open--;
    }
    runId = events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return { ids, runs, maxAtOnce, events: total };
}

async function expectSameRows(table: string, ref: string): Promise<void> {
  const [got, want] = await Promise.all([
    tableChecksum(env.db.pool, table, names),
    tableChecksum(env.db.pool, ref, names),
  ]);
  expect(want.nulls.name).toBeGreaterThan(0);
  expect(got).toEqual(want);
}

/**
 * Creates `table` with a trigger that fails the transaction writing row `id` the first time (a sequence, which a
 * rollback does not reset, counts the tries) with SQLSTATE `code`.
 */
async function failOnce(table: string, id: number, code: string): Promise<void> {
  const seq = `${table}_tries`;
  await env.db.pool.query(`CREATE TABLE ${table} (id int, name text, amount numeric)`);
  await env.db.pool.query(`CREATE SEQUENCE ${seq}`);
  await env.db.pool.query(`CREATE FUNCTION ${table}_fail() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.id = ${id} AND nextval('${seq}') = 1 THEN
        RAISE EXCEPTION 'injected failure' USING ERRCODE = '${code}';
      END IF;
      RETURN NEW;
    END $$`);
  await env.db.pool.query(
    `CREATE TRIGGER fail_once BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_fail()`,
  );
}

test('a glob of 200 small CSV files loads exactly the rows of psql \\copy of the files concatenated', async () => {
  const { pattern, paths } = writeFiles('many', 200, 5);
  const table = `${env.db.schema}.many`;
  const ref = `${env.db.schema}.many_ref`;
  await reference(ref, paths);
  const handle = await startPipeline(env.h.client, env.h.taskQueue, load(pattern, { table, createTable: true }));
  const status = await result(handle);
  expect(status.state).toBe('completed');
  await expectSameRows(table, ref);
  const read = nodeOf(status, 'read');
  expect(read.partitions).toMatchObject({ kind: 'glob', count: 200, done: 200, running: 0, failed: 0 });
  expect(read.partitions?.completed).toEqual([[0, 200]]);
  expect(nodeOf(status, 'load').output?.stats?.rowsWritten).toBe(1000);
  expect(nodeOf(status, 'load').output?.dataset?.rows).toBe(1000);
  // One listing and one activity per partition, each once; never more than the parallelism (4) at once.
  const { ids, maxAtOnce, events, runs } = await scheduledIds(handle);
  expect(maxAtOnce).toBe(4);
  // History stays small: a handful of events per partition, split over runs by continue-as-new (the test server
  // suggests it at 600 events).
  expect(events / 200).toBeLessThan(8);
  expect(runs).toBeGreaterThan(1);
  const parts = ids.filter((id) => id.startsWith('read..load['));
  expect(ids.filter((id) => id.startsWith('read:partitions'))).toHaveLength(1);
  expect(new Set(parts.map((id) => id.replace(/#\d+$/, ''))).size).toBe(200);
  expect(parts).toHaveLength(200);
  // Every partition's batches in its own ledger.
  const ledger = await env.db.rows<{ n: number }>(
    `SELECT count(DISTINCT node_id)::int AS n FROM ${env.db.schema}.load_ledger WHERE workflow_id = $1 AND node_id LIKE 'load#p%'`,
    [handle.workflowId],
  );
  expect(ledger[0]?.n).toBe(200);
}, 120_000);

test('a partition that fails mid-load is retried and skips the batches it committed', async () => {
  const { pattern, paths } = writeFiles('retry', 6, 6);
  const table = `${env.db.schema}.retried`;
  const ref = `${env.db.schema}.retried_ref`;
  await reference(ref, paths);
  // The first time row 28 (partition 4, batch 3 of 3) is written, its transaction fails retryably (40001).
  await failOnce(table, 28, '40001');
  const handle = await startPipeline(env.h.client, env.h.taskQueue, load(pattern, { table, batchRows: 2 }));
  const status = await result(handle);
  expect(status.state).toBe('completed');
  await expectSameRows(table, ref);
  expect(nodeOf(status, 'load').attempts).toBe(2);
  // Partition 4 committed batches 1 and 2 in its first attempt, batch 3 in its second: each once.
  const batches = await env.db.rows<{ batch_no: number; row_count: number }>(
    `SELECT batch_no, row_count FROM ${env.db.schema}.load_ledger WHERE workflow_id = $1 AND node_id LIKE 'load#p4@%' ORDER BY batch_no`,
    [handle.workflowId],
  );
  expect(batches).toEqual([
    { batch_no: 1, row_count: 2 },
    { batch_no: 2, row_count: 2 },
    { batch_no: 3, row_count: 2 },
  ]);
  const [seq] = await env.db.rows<{ last_value: string }>(`SELECT last_value FROM ${table}_tries`);
  expect(Number(seq?.last_value)).toBe(2);
});

test('continue-as-new in the middle of a partitioned node carries its progress: no partition runs twice', async () => {
  const { pattern, paths } = writeFiles('can', 40, 3);
  const table = `${env.db.schema}.continued`;
  const ref = `${env.db.schema}.continued_ref`;
  await reference(ref, paths);
  const definition = load(pattern, { table, createTable: true }, {});
  const handle = await startPipeline(env.h.client, env.h.taskQueue, definition, {
    parallelism: 3,
    historyEventLimit: 60,
  });
  const status = await result(handle);
  expect(status.state).toBe('completed');
  expect(status.generation).toBeGreaterThan(2);
  await expectSameRows(table, ref);
  const { ids, runs } = await scheduledIds(handle);
  expect(runs).toBe(status.generation);
  const parts = ids.filter((id) => id.startsWith('read..load[')).map((id) => id.replace(/#\d+$/, ''));
  expect(parts).toHaveLength(40);
  expect(new Set(parts).size).toBe(40);
  // Listed once, in the first run; later runs go on from the carried count and fingerprint.
  expect(ids.filter((id) => id.startsWith('read:partitions'))).toHaveLength(1);
  expect(nodeOf(status, 'read').partitions).toMatchObject({ count: 40, done: 40 });
  expect(nodeOf(status, 'load').output?.stats?.rowsWritten).toBe(120);
}, 90_000);

test('a partitioned source that does not fuse writes each partition once into one staging table', async () => {
  const { pattern, paths } = writeFiles('staged', 12, 4);
  const ref = `${env.db.schema}.staged_ref`;
  await reference(ref, paths);
  const table = `${env.db.schema}.staged_totals`;
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'glob-staged',
    defaults: { parallelism: 4 },
    nodes: [
      { id: 'read', type: 'source.csv', params: { path: pattern, columns } },
      {
        id: 'totals',
        type: 'transform.sql',
        needs: ['read'],
        params: {
          sql: 'SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, sum(amount) AS amount FROM {{ inputs.read }}',
        },
      },
      { id: 'load', type: 'sink.postgres', needs: ['totals'], params: { table, mode: 'replace', createTable: true } },
    ],
  });
  const status = await result(handle);
  expect(status.state).toBe('completed');
  expect(nodeOf(status, 'read').partitions).toMatchObject({ count: 12, done: 12 });
  expect(nodeOf(status, 'read').output?.dataset?.rows).toBe(48);
  const want = await env.db.rows(
    `SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, sum(amount)::text AS amount FROM ${ref}`,
  );
  expect(await env.db.rows(`SELECT n, ids, amount::text FROM ${table}`)).toEqual(want);
});

test('a glob that matches no file fails the node non-retryably, naming the node and the pattern', async () => {
  const pattern = env.path('nothing-*.csv');
  const handle = await startPipeline(
    env.h.client,
    env.h.taskQueue,
    load(pattern, { table: `${env.db.schema}.never`, createTable: true }),
  );
  const failure = await failureOf(handle.result());
  expect(failure.message).toContain(
    `read: InputFileError: node "read": input file ${pattern}: the glob matches no file`,
  );
  const status = await handle.query('status');
  expect(nodeOf(status as RunStatus, 'read').error?.nonRetryable).toBe(true);
});

test('mode replace after a glob publishes once, after every partition has landed in staging', async () => {
  const { pattern, paths } = writeFiles('replace', 8, 4);
  const ref = `${env.db.schema}.replaced_ref`;
  await reference(ref, paths);
  const table = `${env.db.schema}.replaced`;
  await env.db.pool.query(`CREATE TABLE ${table} (id int, name text, amount numeric)`);
  await env.db.pool.query(`INSERT INTO ${table} SELECT g, 'old', g FROM generate_series(1000, 1100) g`);
  const handle = await startPipeline(env.h.client, env.h.taskQueue, load(pattern, { table, mode: 'replace' }));
  const status = await result(handle);
  expect(status.state).toBe('completed');
  await expectSameRows(table, ref);
  const { ids } = await scheduledIds(handle);
  // The source's partitions each once, then the load once, on its own.
  expect(ids.filter((id) => id.startsWith('read['))).toHaveLength(8);
  expect(ids.filter((id) => id.startsWith('load'))).toEqual(['load']);
  expect(nodeOf(status, 'load').output?.stats?.rowsWritten).toBe(32);
});

test('a partition that fails for good fails the node like a node, named in the error and the status', async () => {
  const { pattern, paths } = writeFiles('bad', 5, 3);
  // Partition 3 (bad-002.csv) holds a row whose id is not an integer: with maxRejects 0 it fails, non-retryably.
  fs.appendFileSync(paths[2] as string, 'x,broken,1\n');
  const handle = await startPipeline(
    env.h.client,
    env.h.taskQueue,
    load(pattern, { table: `${env.db.schema}.bad`, createTable: true }, { defaults: { parallelism: 1 } }),
  );
  const failure = await failureOf(handle.result());
  expect(failure.message).toMatch(/read: TooManyRejects: partition 3 of 5 \(.*bad-002\.csv\) failed: node "read"/);
  const status = (await handle.query('status')) as RunStatus;
  const read = nodeOf(status, 'read');
  expect(read.state).toBe('failed');
  expect(read.partitions).toMatchObject({ count: 5, done: 2, running: 0, failed: 1, completed: [[0, 2]] });
  expect(read.partitions?.failures).toEqual([
    { index: 2, name: paths[2], message: expect.stringContaining('records rejected, more than maxRejects allows (0)') },
  ]);
  expect(nodeOf(status, 'load').state).toBe('skipped');
  // No retry helps: the partition ran once.
  expect(read.attempts).toBe(1);
  // Partitions after it never started; those before it stay loaded.
  expect(await env.db.rows(`SELECT count(*)::int AS n FROM ${env.db.schema}.bad`)).toEqual([{ n: 6 }]);
});

test('pause immediate cancels the running partitions; resumed, the rest run and every row lands once', async () => {
  const { pattern, paths } = writeFiles('paused', 6, 20_000);
  const ref = `${env.db.schema}.paused_ref`;
  await reference(ref, paths);
  const table = `${env.db.schema}.paused`;
  const definition = load(pattern, { table, createTable: true, batchRows: 500 }, {});
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    ...definition,
    defaults: { ...definition.defaults, parallelism: 2, heartbeatTimeout: '2s' },
  });
  await waitForStatus(handle, (s) => (nodeOf(s, 'read').partitions?.done ?? 0) >= 1, 60_000);
  const paused = await handle.executeUpdate(setPausedUpdate, { args: [{ paused: true, mode: 'immediate' }] });
  expect(paused.state).toBe('paused');
  const stopped = nodeOf(paused, 'read');
  expect(stopped.state).toBe('pending');
  expect(stopped.partitions?.running).toBe(0);
  expect(stopped.partitions?.done).toBeLessThan(6);
  await handle.executeUpdate(setPausedUpdate, { args: [{ paused: false }] });
  const status = await result(handle);
  expect(status.state).toBe('completed');
  await expectSameRows(table, ref);
  expect(nodeOf(status, 'read').partitions).toMatchObject({ count: 6, done: 6 });
  expect(nodeOf(status, 'read').executions).toBe(2);
  // Every partition the first execution started and had not finished when the pause took effect (it was cancelled)
  // ran again in the second execution; the ones done by then did not.
  const { ids } = await scheduledIds(handle);
  const doneAtPause = new Set((stopped.partitions?.completed ?? []).flatMap(([from, to]) => range(from, to)));
  const firstRun = ids.flatMap((id) => /^read\.\.load\[(\d+)\]$/.exec(id)?.slice(1).map(Number) ?? []);
  for (const i of firstRun)
    expect({ i, again: ids.includes(`read..load[${i}]#2`) }).toEqual({ i, again: !doneAtPause.has(i) });
  expect(new Set(ids.filter((id) => id.startsWith('read..load[')).map((id) => id.replace(/#\d+$/, ''))).size).toBe(6);
}, 120_000);

test('source.ndjson takes a glob too: one partition per file', async () => {
  const lines = (from: number) =>
    [0, 1, 2].map((i) => JSON.stringify({ id: from + i, name: `n${from + i}`, amount: i })).join('\n');
  for (let f = 0; f < 3; f++) env.file(`events-${f}.ndjson`, `${lines(f * 3)}\n`);
  const table = `${env.db.schema}.events`;
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'ndjson-glob',
    nodes: [
      { id: 'read', type: 'source.ndjson', params: { path: env.path('events-*.ndjson'), columns } },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table, createTable: true } },
    ],
  });
  const status = await result(handle);
  expect(status.state).toBe('completed');
  expect(nodeOf(status, 'read').partitions).toMatchObject({ count: 3, done: 3 });
  expect(
    await env.db.rows(`SELECT array_agg(id ORDER BY id) AS ids, sum(amount)::int AS amount FROM ${table}`),
  ).toEqual([{ ids: [0, 1, 2, 3, 4, 5, 6, 7, 8], amount: 9 }]);
});

test('a held partitioned node retried by an operator runs only the partitions not yet done', async () => {
  const { pattern, paths } = writeFiles('held', 4, 4);
  const ref = `${env.db.schema}.held_ref`;
  await reference(ref, paths);
  const table = `${env.db.schema}.held`;
  // The first time row 9 (partition 3) is written, its transaction fails for good (23514, a check violation).
  await failOnce(table, 9, '23514');
  const definition = load(pattern, { table }, {});
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    ...definition,
    defaults: { ...definition.defaults, parallelism: 1, onFailure: 'hold' },
  });
  const held = await waitForStatus(handle, (s) => s.state === 'held', 30_000);
  expect(nodeOf(held, 'load').state).toBe('held');
  expect(nodeOf(held, 'read').partitions).toMatchObject({ done: 2, failed: 1, completed: [[0, 2]] });
  expect(nodeOf(held, 'load').error?.message).toMatch(/^partition 3 of 4 \(.*held-002\.csv\) failed: /);
  await handle.executeUpdate(retryNodeUpdate, { args: [{ nodeId: 'load' }] });
  const status = await result(handle);
  expect(status.state).toBe('completed');
  await expectSameRows(table, ref);
  // Partitions 0 and 1 ran once; 2 (failed) and 3 (not started) ran in the second execution.
  const { ids } = await scheduledIds(handle);
  expect(ids.filter((id) => id.startsWith('read..load['))).toEqual([
    'read..load[0]',
    'read..load[1]',
    'read..load[2]',
    'read..load[2]#2',
    'read..load[3]#2',
  ]);
});
