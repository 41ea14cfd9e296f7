/**
 * Every statement and COPY the data services run is reported to the observer they were given, under the
 * connection's name (never its URL), and lands in the worker's Postgres histograms.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_DATABASE_URL } from '../../../src/platform/config/config';
import { createDataServices, type DataServices } from '../../../src/data/services';
import type { PgCopyEvent, PgObserver, PgQueryEvent } from '../../../src/platform/db/pg-observer';
import { withClient, withTransaction } from '../../../src/platform/db/pools';
import { createMetrics } from '../../../src/platform/metrics/metrics';
import { createPgMetricsObserver } from '../../../src/platform/metrics/pg-metrics';
import { copyRows } from '../../../src/data/load/copy-writer';
import { readTableRows } from '../../../src/data/tables/table-source';

const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
// The same server under a second name, with a password in the URL (trust auth ignores it) that must never show.
const reportsUrl = url.replace('://postgres@', '://postgres:s3cret-pw@');
const schema = `pwt_pgobs_${randomBytes(4).toString('hex')}`;

const queries: PgQueryEvent[] = [];
const copies: PgCopyEvent[] = [];
const recorder: PgObserver = { query: (e) => void queries.push(e), copy: (e) => void copies.push(e) };
const metrics = createMetrics();
const fromMetrics = createPgMetricsObserver(metrics);
let data: DataServices;

beforeAll(async () => {
  data = createDataServices({
    url,
    connections: { reports: reportsUrl },
    projectSchema: schema,
    stagingSchema: `${schema}_stg`,
    poolMax: 3,
    observer: {
      query: (e) => (recorder.query(e), fromMetrics.query(e)),
      copy: (e) => (recorder.copy(e), fromMetrics.copy(e)),
    },
  });
  await data
    .pool()
    .query(
      `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (id int, v text); CREATE TABLE ${schema}.c (id int, v text)`,
    );
});
afterAll(async () => {
  await data.pool().query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await data.close();
});
beforeEach(() => {
  queries.length = 0;
  copies.length = 0;
});

test('statements are reported by operation, connection and outcome, in every calling style', async () => {
  const pool = data.pool();
  await pool.query('SELECT 1');
  await withTransaction(pool, (c) => c.query(`INSERT INTO ${schema}.t VALUES ($1, $2)`, [1, 'a']));
  await expect(pool.query('SELECT * FROM no_such_table_here')).rejects.toThrow(/does not exist/);
  await withClient(pool, async (c) => {
    // The callback style, which pg's own pool.query uses underneath.
    await new Promise<void>((resolve, reject) => c.query('SELECT 2', (err) => (err ? reject(err) : resolve())));
  });
  await data.pool('reports').query(`UPDATE ${schema}.t SET v = 'b'`);

  expect(queries.map((q) => [q.operation, q.connection, q.outcome])).toEqual([
    ['select', 'default', 'ok'],
    ['begin', 'default', 'ok'],
    ['insert', 'default', 'ok'],
    ['commit', 'default', 'ok'],
    ['select', 'default', 'error'],
    ['select', 'default', 'ok'],
    ['update', 'reports', 'ok'],
  ]);
  for (const q of queries) {
    expect(q.seconds).toBeGreaterThan(0);
    expect(q.seconds).toBeLessThan(10);
  }
});

test('COPY in and out are timed until the stream is done; a COPY read stopped early counts as an error', async () => {
  const pool = data.pool();
  const rows = Array.from({ length: 5_000 }, (_, i) => [String(i), `v${i}`]);
  const stored = await withClient(pool, (c) =>
    copyRows(
      c,
      `${schema}.c`,
      ['id', 'v'],
      (async function* () {
        yield { rows, clean: true };
      })(),
    ),
  );
  expect(stored).toBe(5_000);
  let read = 0;
  await withClient(pool, async (c) => {
    for await (const chunk of readTableRows(c, `SELECT id, v FROM ${schema}.c`)) read += chunk.rows.length;
  });
  expect(read).toBe(5_000);
  const client = await pool.connect();
  for await (const _ of readTableRows(client, `SELECT g FROM generate_series(1, 2000000) g`)) break;
  client.release(true);

  expect(copies.map((c) => [c.operation, c.connection, c.outcome])).toEqual([
    ['copy_in', 'default', 'ok'],
    ['copy_out', 'default', 'ok'],
    ['copy_out', 'default', 'error'],
  ]);
  expect(queries.filter((q) => q.operation === 'copy')).toEqual([]);
});

test('the histograms carry the samples, labelled with names and never a URL or password', async () => {
  await data.pool('reports').query('SELECT 1');
  const text = await metrics.registry.metrics();
  expect(text).toMatch(
    /^pipewright_pg_query_duration_seconds_count\{operation="select",connection="reports",outcome="ok"\} [1-9]/m,
  );
  expect(text).toMatch(
    /^pipewright_pg_copy_duration_seconds_count\{operation="copy_in",connection="default",outcome="ok"\} 1$/m,
  );
  expect(text).toContain('# HELP pipewright_pg_query_duration_seconds Duration of Postgres statements');
  expect(text).not.toContain('s3cret');
  expect(text).not.toContain('postgres://');
});
