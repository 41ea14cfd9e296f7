/**
 * Cache benchmark: L1 get and set rates, L2 get-or-load with and without auto-pipelining, hit rates on a Zipf
 * workload with L1 holding 10% of the keys, and transform.lookup rows per second with the cache and without it.
 * Every figure has its baseline measured in the same run. Starts a private redis-server on a free port (the
 * shared one is left alone) and uses a scratch schema in DATABASE_URL; stops and drops both; bounded at 4 minutes.
 *
 *   npm run bench:cache [-- --lookup-rows 500000]
 *
 * What each figure means and the latest results: docs/benchmarks.md.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL } from '../../src/platform/config/config';
import { createPools } from '../../src/platform/db/pools';
import { startPrivateRedis } from '../../test/helpers/redis';
import { markdownTable } from '../dag/table';
import { withTimeout } from '../dag/timeout';
import { benchHitRate, type HitRateFigures } from './hit-rate';
import { benchL1 } from './l1';
import { benchL2 } from './l2';
import { benchLookup, prepareDimension } from './lookup';
import { fmtPct, fmtRate } from './measure';

const SCHEMA = 'bench_cache';
const BUDGET_MS = 4 * 60_000;

const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(2) : '-');
const met = (ok: boolean): string => (ok ? 'yes' : 'NO');

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { 'lookup-rows': { type: 'string', default: '500000' } } });
  const lookupRows = Number(values['lookup-rows']);
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  );
  console.log(`node: ${process.version}`);
  const redis = await startPrivateRedis();
  console.log(`private redis-server on ${redis.url}`);
  const pools = createPools({ defaultUrl: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, max: 4 });
  const pool = pools.getPool();
  try {
    const t0 = Date.now();
    const step = (what: string) => console.log(`${what} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const l1 = await benchL1();
    step('L1');
    const l2 = await benchL2(redis.url);
    step('L2');
    const zipfs: HitRateFigures[] = [];
    for (const s of [1.0, 1.2]) zipfs.push(await benchHitRate(redis.url, s));
    step('hit rates');
    const table = await prepareDimension(pool, SCHEMA);
    const lookup = await benchLookup(pool, table, redis.url, lookupRows);
    step('lookup');

    const rows: string[][] = [
      [
        'L1 get (`peek`), 100K entries',
        fmtRate(l1.get.opsPerSec),
        `lru-cache alone ${fmtRate(l1.getLru.opsPerSec)}; Map ${fmtRate(l1.getMap.opsPerSec)}`,
        ratio(l1.get.opsPerSec, l1.getLru.opsPerSec),
        '>= 5 M/s (others quote 240 K/s)',
        met(l1.get.opsPerSec >= 5e6),
      ],
      [
        'L1 set (`setLocal`)',
        fmtRate(l1.setLocal.opsPerSec),
        `lru-cache alone ${fmtRate(l1.setLru.opsPerSec)}`,
        ratio(l1.setLocal.opsPerSec, l1.setLru.opsPerSec),
        '(others quote 60 K/s)',
        met(l1.setLocal.opsPerSec >= 60e3),
      ],
      [
        'L1 set, awaited (`set`, no Redis)',
        fmtRate(l1.setAsync.opsPerSec),
        `lru-cache alone ${fmtRate(l1.setLru.opsPerSec)}`,
        ratio(l1.setAsync.opsPerSec, l1.setLru.opsPerSec),
        '(others quote 60 K/s)',
        met(l1.setAsync.opsPerSec >= 60e3),
      ],
      [
        `L2 getOrLoad, ${l2.workers} concurrent, auto-pipelining`,
        fmtRate(l2.pipelined.opsPerSec),
        `without auto-pipelining ${fmtRate(l2.unpipelined.opsPerSec)}; bare ioredis GET ${fmtRate(l2.bare.opsPerSec)}`,
        ratio(l2.pipelined.opsPerSec, l2.unpipelined.opsPerSec),
        '>= 100 K/s',
        met(l2.pipelined.opsPerSec >= 100e3),
      ],
      [
        `L2 getOrLoadMany, ${l2.batch}-key batches (one MGET each), keys`,
        fmtRate(l2.batched.opsPerSec),
        `bare ioredis MGET ${fmtRate(l2.bareBatched.opsPerSec)}`,
        ratio(l2.batched.opsPerSec, l2.bareBatched.opsPerSec),
        '-',
        '-',
      ],
      ...zipfs.flatMap((z) => [
        [
          `Zipf s=${z.exponent.toFixed(1)}, ${z.keys / 1000}K keys, ${z.requests / 1e6}M requests: L1 (${z.l1Entries / 1000}K entries, LRU)`,
          fmtPct(z.l1),
          `best static 10% ${fmtPct(z.staticBest)}`,
          ratio(z.l1, z.staticBest),
          '>= 90 %',
          met(z.l1 >= 0.9),
        ],
        [
          `Zipf s=${z.exponent.toFixed(1)}: L1 + L2, served without a load`,
          fmtPct(z.twoLevel),
          `L1 alone ${fmtPct(z.l1)}`,
          ratio(z.twoLevel, z.l1),
          '>= 90 %',
          met(z.twoLevel >= 0.9),
        ],
      ]),
      [
        `transform.lookup, ${lookup.rows / 1000}K rows, cold cache`,
        `${fmtRate(lookup.withCache.rowsPerSec)} (${lookup.withCache.queries} queries)`,
        `no cache ${fmtRate(lookup.withoutCache.rowsPerSec)} (${lookup.withoutCache.queries} queries)`,
        ratio(lookup.withCache.rowsPerSec, lookup.withoutCache.rowsPerSec),
        '-',
        '-',
      ],
      [
        `transform.lookup, ${lookup.rows / 1000}K rows, warm cache`,
        `${fmtRate(lookup.withCacheWarm.rowsPerSec)} (${lookup.withCacheWarm.queries} queries)`,
        `no cache ${fmtRate(lookup.withoutCache.rowsPerSec)}`,
        ratio(lookup.withCacheWarm.rowsPerSec, lookup.withoutCache.rowsPerSec),
        '-',
        '-',
      ],
    ];
    console.log('');
    console.log(markdownTable(['figure', 'measured', 'baseline (same run)', 'ratio', 'target', 'met'], rows));
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await pools.closeAll();
    await redis.kill();
  }
}

withTimeout(run(), BUDGET_MS, 'bench:cache').then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
