/**
 * `transform.lookup` throughput: rows per second through the lookup stage (1024-row chunks, Zipf-distributed keys)
 * enriching from a 100K-row dimension table in Postgres, with the two-level cache (cold, then warm) and without
 * it (L1 off, no Redis: every chunk asks Postgres for all its distinct keys; measured before and after, the better
 * counts), in the same run.
 */
import type pg from 'pg';
import { createCache, type CacheNamespace, type TwoLevelCache } from '../../src/platform/cache';
import { tableLookupSource } from '../../src/data/transforms/lookup-source';
import { lookupStage, type LookupEntry } from '../../src/data/transforms/lookup-stage';
import type { RowChunk } from '../../src/data/rows/batch';
import type { FieldValue } from '../../src/model/columns/columns';
import type { ColumnSpec } from '../../src/model/columns/columns';
import { zipf } from './zipf';

const DIM_ROWS = 100_000;
const CHUNK = 1024;

export interface LookupFigures {
  readonly rows: number;
  readonly withCache: { readonly rowsPerSec: number; readonly queries: number };
  readonly withCacheWarm: { readonly rowsPerSec: number; readonly queries: number };
  readonly withoutCache: { readonly rowsPerSec: number; readonly queries: number };
}

const INPUT: ColumnSpec[] = [
  { name: 'order_id', type: 'int', emptyIsNull: false, nullable: true },
  { name: 'customer_id', type: 'int', emptyIsNull: false, nullable: true },
];

export async function prepareDimension(pool: pg.Pool, schema: string): Promise<string> {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await pool.query(`DROP TABLE IF EXISTS ${schema}.customers`);
  await pool.query(`CREATE TABLE ${schema}.customers (id int PRIMARY KEY, name text, country text)`);
  await pool.query(
    `INSERT INTO ${schema}.customers SELECT i, 'customer ' || i, (ARRAY['DE','FR','US','JP'])[1 + i % 4]
     FROM generate_series(1, ${DIM_ROWS}) i`,
  );
  await pool.query(`ANALYZE ${schema}.customers`);
  return `${schema}.customers`;
}

function chunks(keys: readonly number[]): RowChunk[] {
  const out: RowChunk[] = [];
  for (let at = 0; at < keys.length; at += CHUNK) {
    const rows: FieldValue[][] = [];
    const lineNos: number[] = [];
    for (let i = at; i < Math.min(at + CHUNK, keys.length); i++) {
      rows.push([String(i + 1), String(keys[i])]);
      lineNos.push(i + 1);
    }
    out.push({ firstRecord: at, recordCount: rows.length, rows, lineNos, rejects: [], clean: true });
  }
  return out;
}

async function pass(pool: pg.Pool, table: string, ns: CacheNamespace<LookupEntry>, keys: readonly number[]) {
  const source = await tableLookupSource({ nodeId: 'bench', pool, table, key: 'id', columns: ['name', 'country'] });
  const stage = lookupStage({
    nodeId: 'bench',
    input: INPUT,
    on: 1,
    source,
    names: ['name', 'country'],
    cache: ns,
    missing: 'null',
    maxRejects: 0,
    describe: `id in ${table}`,
  });
  const input = chunks(keys);
  let out = 0;
  const t0 = performance.now();
  for (const chunk of input) out += (await stage.apply(chunk)).rows.length;
  const ms = performance.now() - t0;
  if (out !== keys.length) throw new Error(`expected ${keys.length} rows out, got ${out}`);
  return { rowsPerSec: (keys.length / ms) * 1000, queries: stage.stats().queries ?? 0 };
}

export async function benchLookup(
  pool: pg.Pool,
  table: string,
  redisUrl: string,
  rows: number,
): Promise<LookupFigures> {
  const draw = zipf(DIM_ROWS, 1.0, 7);
  const keys = Array.from({ length: rows }, () => draw.next() + 1);
  // Plan and prepare the query once, so neither side pays for it.
  await pass(pool, table, createCache({ defaults: { l1MaxEntries: 0 } }).namespace('warm'), keys.slice(0, CHUNK));

  const uncached = createCache({ defaults: { l1MaxEntries: 0 } });
  const before = await pass(pool, table, uncached.namespace<LookupEntry>('lookup'), keys);

  const cache: TwoLevelCache = createCache({ redisUrl, prefix: `bench-lookup-${process.pid}` });
  if (!(await cache.connect())) throw new Error(`Redis at ${redisUrl} does not answer`);
  const withCache = await pass(pool, table, cache.namespace<LookupEntry>('lookup'), keys);
  const withCacheWarm = await pass(pool, table, cache.namespace<LookupEntry>('lookup'), keys);
  await cache.close();
  // The baseline is measured before and after the cached passes; the better of the two counts.
  const after = await pass(pool, table, uncached.namespace<LookupEntry>('lookup'), keys);
  const withoutCache = after.rowsPerSec > before.rowsPerSec ? after : before;
  return { rows, withCache, withCacheWarm, withoutCache };
}
