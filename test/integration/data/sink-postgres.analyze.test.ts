/**
 * sink.postgres `analyze`: auto analyzes a new or empty table and a load that adds more than 10% of the planner's
 * estimate, not a small one into a big table; always and never do as they say. Checked in pg_stat_user_tables.
 */
import type { PipelineResult } from '../../../src/engine/run-input';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { nodeOf, startPipeline } from '../../helpers/runs';

let env: DataHarness;
beforeAll(async () => (env = await startDataHarness('analyze')));
afterAll(async () => env?.close());

const columns = [
  { name: 'id', type: 'int' },
  { name: 'name', type: 'text' },
];

/** Loads `rows` rows into `table` with `sink` params; returns the sink's stats. */
async function load(table: string, rows: number, sink: object = {}): Promise<Record<string, number>> {
  const body = Array.from({ length: rows }, (_, i) => `${i + 1},n${i + 1}`).join('\n');
  const file = env.file(`${table}-${rows}.csv`, `id,name\n${body}\n`);
  const definition = {
    name: 'analyze',
    defaults: { retry: { maximumAttempts: 1 } },
    nodes: [
      { id: 'read', type: 'source.csv', params: { path: file, columns } },
      { id: 'write', type: 'sink.postgres', needs: ['read'], params: { table: `${env.db.schema}.${table}`, ...sink } },
    ],
  };
  const result = (await (await startPipeline(env.h.client, env.h.taskQueue, definition)).result()) as PipelineResult;
  expect(result.status.state).toBe('completed');
  return nodeOf(result.status, 'write').output?.stats ?? {};
}

/** Manual ANALYZEs of the table so far (autovacuum's count as autoanalyze_count, not here). */
async function analyzeCount(table: string): Promise<number> {
  const [row] = await env.db.rows<{ n: string }>(
    'SELECT analyze_count n FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = $2',
    [env.db.schema, table],
  );
  return Number(row?.n ?? 0);
}

test('auto: a new table is analyzed; a load of more than 10% of the estimate is, a small one is not', async () => {
  const stats = await load('auto_new', 50, { createTable: true });
  expect(stats.analyzed).toBe(1);
  expect(await analyzeCount('auto_new')).toBe(1);
  const [est] = await env.db.rows<{ reltuples: number }>(
    `SELECT reltuples::float8 reltuples FROM pg_class WHERE oid = to_regclass($1)`,
    [`${env.db.schema}.auto_new`],
  );
  expect(est?.reltuples).toBe(50);

  const table = 'auto_big';
  await env.db.pool.query(
    `CREATE TABLE ${env.db.schema}.${table} AS SELECT g AS id, 'x' || g AS name FROM generate_series(1, 10000) g`,
  );
  await env.db.pool.query(`ANALYZE ${env.db.schema}.${table}`);
  expect(await analyzeCount(table)).toBe(1);
  expect((await load(table, 200)).analyzed).toBe(0); // 2% of 10,000
  expect(await analyzeCount(table)).toBe(1);
  expect((await load(table, 1500)).analyzed).toBe(1); // 15% of 10,000
  expect(await analyzeCount(table)).toBe(2);
});

test('always analyzes after a small load; never does not analyze even a new table', async () => {
  const table = 'always_big';
  await env.db.pool.query(
    `CREATE TABLE ${env.db.schema}.${table} AS SELECT g AS id, 'x' || g AS name FROM generate_series(1, 10000) g`,
  );
  await env.db.pool.query(`ANALYZE ${env.db.schema}.${table}`);
  expect((await load(table, 10, { analyze: 'always' })).analyzed).toBe(1);
  expect(await analyzeCount(table)).toBe(2);

  expect((await load('never_new', 50, { createTable: true, analyze: 'never' })).analyzed).toBe(0);
  expect(await analyzeCount('never_new')).toBe(0);
});

test('auto after a replace analyzes the swapped-in table, and an upsert of most of a table analyzes it', async () => {
  const table = 'replaced';
  await env.db.pool.query(`CREATE TABLE ${env.db.schema}.${table} (id int PRIMARY KEY, name text)`);
  await env.db.pool.query(`INSERT INTO ${env.db.schema}.${table} SELECT g, 'x' FROM generate_series(1, 1000) g`);
  await env.db.pool.query(`ANALYZE ${env.db.schema}.${table}`);
  expect((await load(table, 20, { mode: 'replace' })).analyzed).toBe(1);
  const [est] = await env.db.rows<{ reltuples: number }>(
    `SELECT reltuples::float8 reltuples FROM pg_class WHERE oid = to_regclass($1)`,
    [`${env.db.schema}.${table}`],
  );
  expect(est?.reltuples).toBe(20);
  expect((await load(table, 10, { mode: 'upsert', key: ['id'] })).analyzed).toBe(1); // 10 of 20
});
