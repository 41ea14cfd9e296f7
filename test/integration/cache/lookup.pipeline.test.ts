/**
 * `transform.lookup` in pipelines on the real Temporal server, real Postgres and the shared Redis (a key prefix of
 * this file's own): rows enriched from a dimension table, one query per chunk for the keys the cache lacks, none
 * once they are cached, again after the table's keys are invalidated; a registered loader; missing keys rejected.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TwoLevelCache } from '../../../src/platform/cache';
import { lookupCachePrefix } from '../../../src/nodes/data/transform-lookup';
import type { PipelineResult } from '../../../src/engine/run-input';
import { createTestData, type TestData } from '../../helpers/data';
import { connectedCache, dropPrefix, testPrefix } from '../../helpers/redis';
import { failureOf, nodeOf, startPipeline } from '../../helpers/runs';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';

const ROWS = 3_000;
const prefix = testPrefix('lookup');
let h: TemporalHarness;
let db: TestData;
let cache: TwoLevelCache;
let dir: string;
const loaderCalls: string[][] = [];

beforeAll(async () => {
  cache = await connectedCache(prefix);
  db = await createTestData(
    'lookup',
    {
      lookups: [
        {
          name: 'regions',
          columns: [{ name: 'region', type: 'text' }],
          load: async (keys) => {
            loaderCalls.push([...keys]);
            return Object.fromEntries(keys.filter((k) => k !== 'ZZ').map((k) => [k, { region: `region of ${k}` }]));
          },
        },
      ],
    },
    { cache },
  );
  await db.pool.query(`CREATE TABLE ${db.schema}.customers (id int PRIMARY KEY, name text, country text)`);
  await db.pool.query(
    `INSERT INTO ${db.schema}.customers SELECT i, 'customer ' || i, CASE WHEN i % 2 = 0 THEN 'DE' ELSE 'FR' END
     FROM generate_series(1, 50) i`,
  );
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-lookup-'));
  // Every chunk of 1024 rows names all 50 customers, plus an unknown one (999) and a NULL key.
  const lines = ['order_id,customer_id,amount'];
  for (let i = 1; i <= ROWS; i++) {
    const customer = i % 100 === 0 ? '999' : i % 101 === 0 ? '' : String((i % 50) + 1);
    lines.push(`${i},${customer},${i % 7}.50`);
  }
  fs.writeFileSync(path.join(dir, 'orders.csv'), `${lines.join('\n')}\n`);
  h = await connectHarness('lookup');
  await h.startWorker([], { data: db.services });
});

afterAll(async () => {
  await h?.close();
  await db?.drop();
  await cache?.close();
  await dropPrefix(prefix);
  fs.rmSync(dir, { recursive: true, force: true });
});

const orders = () => ({
  id: 'orders',
  type: 'source.csv',
  params: {
    path: path.join(dir, 'orders.csv'),
    columns: [
      { name: 'order_id', type: 'int' },
      { name: 'customer_id', type: 'int' },
      { name: 'amount', type: 'numeric' },
    ],
  },
});

const enrichPipeline = (table: string) => ({
  name: 'orders-enriched',
  nodes: [
    orders(),
    {
      id: 'customers',
      type: 'transform.lookup',
      needs: ['orders'],
      params: {
        table: `${db.schema}.customers`,
        key: 'id',
        on: 'customer_id',
        columns: ['name', 'country'],
        prefix: 'customer_',
      },
    },
    { id: 'load', type: 'sink.postgres', needs: ['customers'], params: { table, createTable: true } },
  ],
});

const run = async (definition: object): Promise<PipelineResult> =>
  (await (await startPipeline(h.client, h.taskQueue, definition)).result()) as PipelineResult;

test('rows are enriched from the dimension table with one query for the keys the cache lacks, and none once cached', async () => {
  const first = await run(enrichPipeline(`${db.schema}.enriched_1`));
  expect(first.status.state).toBe('completed');
  const stats = nodeOf(first.status, 'customers').output?.stats;
  // The first chunk names every key: 50 customers and 999, in one query; later chunks find them all cached.
  expect(stats).toMatchObject({ rowsIn: ROWS, rowsOut: ROWS, queries: 1, keysQueried: 51 });
  expect(stats?.rowsMissing).toBe(30 + 29); // 999 every 100th row, an empty key every 101st (not a multiple of 100)
  expect(stats?.keysFromCache).toBeGreaterThan(0);
  const rows = await db.rows<{ n: string; matched: string; missing: string }>(
    `SELECT count(*) AS n,
            count(*) FILTER (WHERE e.customer_name = c.name AND e.customer_country = c.country) AS matched,
            count(*) FILTER (WHERE e.customer_name IS NULL AND e.customer_country IS NULL) AS missing
     FROM ${db.schema}.enriched_1 e LEFT JOIN ${db.schema}.customers c ON c.id = e.customer_id`,
  );
  expect(rows[0]).toEqual({ n: String(ROWS), matched: String(ROWS - 59), missing: '59' });

  // The same worker again: every key comes from its L1, no query at all.
  const l1Before = cache.namespace('lookup').stats().l1.hits;
  const second = await run(enrichPipeline(`${db.schema}.enriched_2`));
  expect(nodeOf(second.status, 'customers').output?.stats).toMatchObject({
    queries: 0,
    keysQueried: 0,
    rowsMatched: ROWS - 59,
  });
  expect(cache.namespace('lookup').stats().l1.hits).toBeGreaterThan(l1Before);

  // A changed dimension: invalidating the table's keys (every worker's copies) makes the next run ask again.
  await db.pool.query(`UPDATE ${db.schema}.customers SET name = 'renamed ' || id`);
  await cache.namespace('lookup').invalidatePrefix(lookupCachePrefix({ table: `${db.schema}.customers` }));
  const third = await run(enrichPipeline(`${db.schema}.enriched_3`));
  expect(nodeOf(third.status, 'customers').output?.stats).toMatchObject({ queries: 1, keysQueried: 51 });
  expect(await db.rows(`SELECT DISTINCT customer_name FROM ${db.schema}.enriched_3 WHERE customer_id = 7`)).toEqual([
    { customer_name: 'renamed 7' },
  ]);
});

test('a registered loader is asked once per chunk for the keys the cache lacks; missing: drop drops unknown keys', async () => {
  const file = path.join(dir, 'sites.csv');
  fs.writeFileSync(file, 'site,country\n1,DE\n2,FR\n3,ZZ\n4,DE\n5,\n');
  const table = `${db.schema}.sites`;
  const result = await run({
    name: 'sites-regions',
    nodes: [
      { id: 'sites', type: 'source.csv', params: { path: file } },
      {
        id: 'regions',
        type: 'transform.lookup',
        needs: ['sites'],
        params: { loader: 'regions', on: 'country', missing: 'drop', ttl: '1m' },
      },
      { id: 'load', type: 'sink.postgres', needs: ['regions'], params: { table, createTable: true } },
    ],
  });
  expect(result.status.state).toBe('completed');
  expect(loaderCalls).toEqual([['DE', 'FR', 'ZZ']]);
  expect(await db.rows(`SELECT site, country, region FROM ${table} ORDER BY site`)).toEqual([
    { site: '1', country: 'DE', region: 'region of DE' },
    { site: '2', country: 'FR', region: 'region of FR' },
    { site: '4', country: 'DE', region: 'region of DE' },
  ]);
  expect(nodeOf(result.status, 'regions').output?.stats).toMatchObject({ rowsDropped: 2, rowsMissing: 2 });
});

test('missing: reject turns unknown keys into rejects counted against maxRejects', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'orders-strict',
    nodes: [
      orders(),
      {
        id: 'customers',
        type: 'transform.lookup',
        needs: ['orders'],
        params: { table: `${db.schema}.customers`, key: 'id', on: 'customer_id', missing: 'reject', maxRejects: 10 },
      },
      {
        id: 'load',
        type: 'sink.postgres',
        needs: ['customers'],
        params: { table: `${db.schema}.strict`, createTable: true },
      },
    ],
  });
  const failure = await failureOf(handle.result());
  expect(failure.message).toContain('customers: TooManyRejects');
  expect(failure.message).toContain(`no row with id in ${db.schema}.customers = "999"`);
});

test('a key the table type cannot hold (a bad date) matches nothing instead of failing the batch query', async () => {
  await db.pool.query(`CREATE TABLE ${db.schema}.holidays (day date PRIMARY KEY, holiday text)`);
  await db.pool.query(
    `INSERT INTO ${db.schema}.holidays VALUES ('2024-12-25', 'Christmas'), ('2024-01-01', 'New Year')`,
  );
  const file = path.join(dir, 'days.csv');
  fs.writeFileSync(file, 'n,day\n1,2024-12-25\n2,not a date\n3, 2024-01-01 \n4,2024-07-04\n');
  const table = `${db.schema}.days_out`;
  const result = await run({
    name: 'days-holidays',
    nodes: [
      { id: 'days', type: 'source.csv', params: { path: file } },
      {
        id: 'holidays',
        type: 'transform.lookup',
        needs: ['days'],
        params: { table: `${db.schema}.holidays`, key: 'day' },
      },
      { id: 'load', type: 'sink.postgres', needs: ['holidays'], params: { table, createTable: true } },
    ],
  });
  expect(result.status.state).toBe('completed');
  expect(await db.rows(`SELECT n, holiday FROM ${table} ORDER BY n`)).toEqual([
    { n: '1', holiday: 'Christmas' },
    { n: '2', holiday: null },
    { n: '3', holiday: 'New Year' },
    { n: '4', holiday: null },
  ]);
  expect(nodeOf(result.status, 'holidays').output?.stats).toMatchObject({ rowsMatched: 2, rowsMissing: 2, queries: 1 });
});
