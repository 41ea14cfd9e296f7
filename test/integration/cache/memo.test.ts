/**
 * Node memoization (`cache: { ttl, key? }`) on the real Temporal server, Postgres and the shared Redis (a key
 * prefix of this file's own): a second run reuses the first run's output dataset (the node shows `cached` and does
 * not run), the dataset outlives the first run's staging, a new key or changed input runs the node again, and an
 * expired entry is swept with its table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TwoLevelCache } from '../../../src/platform/cache';
import { sweepMemo } from '../../../src/data/memo/memo-store';
import type { RunStatus } from '../../../src/model/state';
import type { PipelineResult } from '../../../src/engine/run-input';
import { createTestData, type TestData } from '../../helpers/data';
import { connectedCache, dropPrefix, testPrefix } from '../../helpers/redis';
import { nodeOf, startPipeline } from '../../helpers/runs';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';

const prefix = testPrefix('memo');
let h: TemporalHarness;
let db: TestData;
let cache: TwoLevelCache;
let dir: string;
let calls = 0;

beforeAll(async () => {
  cache = await connectedCache(prefix);
  db = await createTestData(
    'memo',
    {
      maps: [
        {
          name: 'tag',
          columns: [
            { name: 'id', type: 'int' },
            { name: 'tag', type: 'text' },
          ],
          fn: (row) => {
            calls++;
            return { id: row.id ?? null, tag: `#${row.name ?? ''}` };
          },
        },
      ],
    },
    { cache },
  );
  h = await connectHarness('memo');
  await h.startWorker([], { data: db.services });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-memo-'));
  fs.writeFileSync(path.join(dir, 'people.csv'), 'id,name\n1,ada\n2,bob\n3,cy\n4,dee\n5,eve\n');
});

afterAll(async () => {
  await h?.close();
  await db?.drop();
  await cache?.close();
  await dropPrefix(prefix);
  fs.rmSync(dir, { recursive: true, force: true });
});

const pipeline = (table: string, memo: Record<string, unknown>, file = 'people.csv') => ({
  name: 'memo-demo',
  nodes: [
    { id: 'people', type: 'source.csv', params: { path: path.join(dir, file) } },
    { id: 'tagged', type: 'transform.map', needs: ['people'], params: { fn: 'tag' }, cache: memo },
    { id: 'load', type: 'sink.postgres', needs: ['tagged'], params: { table, createTable: true, mode: 'replace' } },
  ],
});

const run = async (definition: object): Promise<RunStatus> =>
  ((await (await startPipeline(h.client, h.taskQueue, definition)).result()) as PipelineResult).status;

const exists = async (table: string): Promise<boolean> =>
  (await db.rows<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table]))[0]?.found === true;

test('a second run reuses the output dataset: the node shows cached, does not run, and its dependents read the kept table', async () => {
  const table = `${db.schema}.tagged_out`;
  const first = await run(pipeline(table, { ttl: '1h' }));
  expect(first.state).toBe('completed');
  expect(nodeOf(first, 'tagged').state).toBe('succeeded');
  expect(calls).toBe(5);
  const kept = nodeOf(first, 'tagged').output?.dataset;
  expect(kept?.location).toMatch(new RegExp(`^${db.stagingSchema}\\.m_[0-9a-f]{40}_[0-9a-f]{8}$`));
  // The first run has ended and its staging is gone, but the kept table is not.
  expect(await db.rows(`SELECT count(*)::int AS n FROM ${db.schema}.staging_tables`)).toEqual([{ n: 0 }]);
  expect(await db.rows(`SELECT count(*)::int AS n FROM ${kept?.location}`)).toEqual([{ n: 5 }]);

  await db.pool.query(`TRUNCATE ${table}`);
  const second = await run(pipeline(table, { ttl: '1h' }));
  expect(second.state).toBe('completed');
  expect(nodeOf(second, 'tagged').state).toBe('cached');
  expect(second.counts).toMatchObject({ succeeded: 2, cached: 1 });
  expect(calls).toBe(5);
  expect(nodeOf(second, 'tagged').output).toEqual(nodeOf(first, 'tagged').output);
  expect(nodeOf(second, 'load').output?.stats?.rowsWritten).toBe(5);
  expect(await db.rows(`SELECT id, tag FROM ${table} ORDER BY id`)).toEqual([
    { id: 1, tag: '#ada' },
    { id: 2, tag: '#bob' },
    { id: 3, tag: '#cy' },
    { id: 4, tag: '#dee' },
    { id: 5, tag: '#eve' },
  ]);
  expect(cache.namespace('memo').stats().l1.hits).toBeGreaterThan(0);
});

test('another key or other input rows make another fingerprint: the node runs again', async () => {
  const table = `${db.schema}.tagged_keyed`;
  const before = calls;
  const keyed = await run(pipeline(table, { ttl: '1h', key: 'v2' }));
  expect(nodeOf(keyed, 'tagged').state).toBe('succeeded');
  expect(calls).toBe(before + 5);
  expect(nodeOf(await run(pipeline(table, { ttl: '1h', key: 'v2' })), 'tagged').state).toBe('cached');

  fs.writeFileSync(path.join(dir, 'more.csv'), 'id,name\n1,ada\n2,bob\n3,cy\n4,dee\n5,eve\n6,fay\n');
  const more = await run(pipeline(table, { ttl: '1h', key: 'v2' }, 'more.csv'));
  expect(nodeOf(more, 'tagged').state).toBe('succeeded');
  expect(calls).toBe(before + 11);
});

test('a kept table that vanished (an UNLOGGED table after a crash) is not reused: the node runs again', async () => {
  const table = `${db.schema}.tagged_lost`;
  const first = await run(pipeline(table, { ttl: '1h', key: 'lost' }));
  await db.pool.query(`DROP TABLE ${nodeOf(first, 'tagged').output?.dataset?.location}`);
  const before = calls;
  const again = await run(pipeline(table, { ttl: '1h', key: 'lost' }));
  expect(nodeOf(again, 'tagged').state).toBe('succeeded');
  expect(calls).toBe(before + 5);
  expect(await db.rows(`SELECT count(*)::int AS n FROM ${table}`)).toEqual([{ n: 5 }]);
});

test('after the TTL the node runs again, and the sweep drops the expired entry with its table', async () => {
  const table = `${db.schema}.tagged_brief`;
  const first = await run(pipeline(table, { ttl: '300ms', key: 'brief' }));
  const location = nodeOf(first, 'tagged').output?.dataset?.location as string;
  await new Promise((r) => setTimeout(r, 400));
  const before = calls;
  const second = await run(pipeline(table, { ttl: '300ms', key: 'brief' }));
  expect(nodeOf(second, 'tagged').state).toBe('succeeded');
  expect(calls).toBe(before + 5);
  await new Promise((r) => setTimeout(r, 400));
  expect(await exists(location)).toBe(true);
  // Entries still within the grace period stay.
  expect(await sweepMemo(db.pool, db.schema, { graceMs: 3_600_000 })).toEqual({ entries: 0, tables: 0 });
  const swept = await sweepMemo(db.pool, db.schema, { graceMs: 0 });
  expect(swept.entries).toBeGreaterThanOrEqual(2);
  expect(await exists(location)).toBe(false);
  expect(await exists(nodeOf(second, 'tagged').output?.dataset?.location as string)).toBe(false);
  const live = await db.rows<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${db.schema}.memo_entries WHERE expires_at > now()`,
  );
  expect(live[0]?.n).toBeGreaterThan(0); // the 1h entries of the other tests are kept
});
