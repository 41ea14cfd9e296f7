/**
 * Redis going away is not a failed pipeline. A private `redis-server` on a free port (never the shared one) backs
 * the worker's cache; it is killed in the middle of a run whose lookups write to it. The run completes, the cache
 * says L1 only (stats and metrics) with one warning, the next run works from L1, and the cache takes up L2 again
 * when Redis is back. A worker whose Redis cannot be reached at start logs a warning and starts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCache, type TwoLevelCache } from '../../../src/platform/cache';
import { loadConfig } from '../../../src/platform/config/config';
import { freePort } from '../../../src/platform/devserver/free-port';
import { createMetrics } from '../../../src/platform/metrics/metrics';
import type { PipelineResult } from '../../../src/engine/run-input';
import { startDataPlane } from '../../../worker/data-plane';
import { createTestData, type TestData } from '../../helpers/data';
import { startPrivateRedis, testPrefix, type PrivateRedis } from '../../helpers/redis';
import { nodeOf, startPipeline } from '../../helpers/runs';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';

const ROWS = 5_000;
let h: TemporalHarness;
let db: TestData;
let redis: PrivateRedis;
let cache: TwoLevelCache;
let dir: string;
const warnings: string[] = [];
const infos: string[] = [];
let loads = 0;

beforeAll(async () => {
  redis = await startPrivateRedis();
  cache = createCache({
    redisUrl: redis.url,
    prefix: testPrefix('outage'),
    connectTimeoutMs: 500,
    commandTimeoutMs: 300,
    log: { warn: (m) => warnings.push(m), info: (m) => infos.push(m) },
  });
  expect(await cache.connect()).toBe(true);
  db = await createTestData(
    'outage',
    {
      lookups: [
        {
          name: 'labels',
          columns: [{ name: 'label', type: 'text' }],
          load: async (keys) => {
            // The second chunk's load stops Redis: the cache writes of that chunk and all later ones meet no server.
            if (++loads === 2) await redis.kill();
            return Object.fromEntries(keys.map((k) => [k, { label: `label ${k}` }]));
          },
        },
      ],
    },
    { cache },
  );
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-outage-'));
  const lines = ['id'];
  for (let i = 1; i <= ROWS; i++) lines.push(String(i));
  fs.writeFileSync(path.join(dir, 'ids.csv'), `${lines.join('\n')}\n`);
  h = await connectHarness('outage');
  await h.startWorker([], { data: db.services });
});

afterAll(async () => {
  await h?.close();
  await db?.drop();
  await cache?.close();
  await redis?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

const definition = (table: string) => ({
  name: 'outage-lookup',
  nodes: [
    { id: 'ids', type: 'source.csv', params: { path: path.join(dir, 'ids.csv') } },
    { id: 'label', type: 'transform.lookup', needs: ['ids'], params: { loader: 'labels', on: 'id' } },
    { id: 'load', type: 'sink.postgres', needs: ['label'], params: { table, createTable: true } },
  ],
});

test('Redis killed mid-run: the run completes from L1 alone, the stats and metrics say so, and L2 returns with Redis', async () => {
  const metrics = createMetrics();
  metrics.observeCache(cache);
  expect(await metrics.registry.metrics()).toContain('pipewright_cache_l2_available 1');

  const handle = await startPipeline(h.client, h.taskQueue, definition(`${db.schema}.labelled`));
  const result = (await handle.result()) as PipelineResult;
  expect(result.status.state).toBe('completed');
  expect(loads).toBe(5); // one per chunk of 1024 rows: the keys are all different
  expect(nodeOf(result.status, 'load').output?.stats?.rowsWritten).toBe(ROWS);
  expect(
    await db.rows(`SELECT count(*)::int AS n, count(DISTINCT label)::int AS labels FROM ${db.schema}.labelled`),
  ).toEqual([{ n: ROWS, labels: ROWS }]);

  const stats = cache.stats();
  expect(stats.l2).toEqual({ configured: true, available: false });
  const lookup = stats.namespaces.lookup;
  // Every key missed L1 once; only the chunks before the kill were asked of L2.
  expect(lookup?.l1.misses).toBe(ROWS);
  expect((lookup?.l2.misses ?? 0) + (lookup?.l2.hits ?? 0)).toBeLessThanOrEqual(2 * 1024);
  expect(lookup?.l1.entries).toBe(ROWS);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain('caching in process only (L1)');
  const text = await metrics.registry.metrics();
  expect(text).toContain('pipewright_cache_l2_available 0');
  expect(text).toContain(`pipewright_cache_requests_total{cache="lookup",level="l1",result="miss"} ${ROWS}`);

  // With Redis still away, the same lookups come from L1: no load, no failure.
  const again = (await (
    await startPipeline(h.client, h.taskQueue, definition(`${db.schema}.again`))
  ).result()) as PipelineResult;
  expect(again.status.state).toBe('completed');
  expect(nodeOf(again.status, 'label').output?.stats).toMatchObject({ queries: 0, rowsMatched: ROWS });
  expect(loads).toBe(5);

  // Redis back on the same port: the cache reconnects by itself, says so, and uses L2 again.
  redis = await startPrivateRedis(redis.port);
  const deadline = Date.now() + 10_000;
  while (!cache.l2Available && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(cache.l2Available).toBe(true);
  expect(infos.join('\n')).toContain('answers again');
  await cache.namespace<string>('probe').set('k', 'v');
  expect(cache.namespace<string>('probe').stats().l1.entries).toBe(1);
  expect(await metrics.registry.metrics()).toContain('pipewright_cache_l2_available 1');
});

test('a worker whose Redis cannot be reached at start logs a warning and starts with an in-process cache', async () => {
  const lines: string[] = [];
  const port = await freePort();
  const config = loadConfig({
    REDIS_URL: `redis://127.0.0.1:${port}`,
    PIPEWRIGHT_DB_SCHEMA: db.schema,
    PIPEWRIGHT_STAGING_SCHEMA: db.stagingSchema,
    PIPEWRIGHT_STAGING_SWEEP_INTERVAL: '0',
    DATABASE_URL: process.env.DATABASE_URL,
  });
  const plane = await startDataPlane(config, (line) => lines.push(line));
  try {
    expect(lines.join('\n')).toContain(`warning: Redis at redis://127.0.0.1:${port} is unavailable`);
    const ns = plane.data.cache.namespace<number>('x');
    expect(await ns.getOrLoad('k', async () => 42)).toBe(42);
    expect(plane.data.cache.stats().l2).toEqual({ configured: true, available: false });
  } finally {
    await plane.stop();
  }
});
