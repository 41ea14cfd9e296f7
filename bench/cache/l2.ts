/**
 * L2 throughput: `getOrLoad` from many concurrent callers on a namespace with L1 off, every key present in Redis,
 * with ioredis auto-pipelining and without (each command its own write), against a private redis-server; and a
 * bare ioredis GET from as many callers, the floor set by the client and the server on this machine. Rounds of
 * the three are interleaved and the best of each is kept.
 */
import Redis from 'ioredis';
import { createCache, type CacheNamespace } from '../../src/platform/cache';
import { concurrentRate, type Rate } from './measure';

const KEYS = 20_000;

export interface L2Figures {
  readonly pipelined: Rate;
  readonly unpipelined: Rate;
  /** ioredis GET alone, auto-pipelined. */
  readonly bare: Rate;
  readonly workers: number;
  /** Keys per second through `getOrLoadMany` in batches of {@link BATCH} (one MGET each), as lookups ask. */
  readonly batched: Rate;
  /** Keys per second through bare MGETs of the same batches. */
  readonly bareBatched: Rate;
  readonly batch: number;
}

const BATCH = 100;
const BATCH_WORKERS = 16;

type Value = { id: number; name: string };

async function namespaceOn(redisUrl: string, autoPipelining: boolean) {
  const cache = createCache({
    redisUrl,
    prefix: `bench-l2-${autoPipelining ? 'auto' : 'plain'}-${process.pid}`,
    autoPipelining,
    commandTimeoutMs: 5_000,
    defaults: { l1MaxEntries: 0, ttlMs: 600_000 },
  });
  if (!(await cache.connect())) throw new Error(`Redis at ${redisUrl} does not answer`);
  const ns = cache.namespace<Value>('bench');
  for (let i = 0; i < KEYS; i += 1000)
    await Promise.all(
      Array.from({ length: 1000 }, (_, j) => ns.set(`k${i + j}`, { id: i + j, name: `name ${i + j}` })),
    );
  return { cache, ns };
}

const best = (a: Rate, b: Rate): Rate => (b.opsPerSec > a.opsPerSec ? b : a);

export async function benchL2(redisUrl: string, workers = 256, rounds = 4): Promise<L2Figures> {
  const auto = await namespaceOn(redisUrl, true);
  const plain = await namespaceOn(redisUrl, false);
  const bare = new Redis(redisUrl, { enableAutoPipelining: true });
  const bareKey = (i: number) => `${auto.cache.prefix}:bench:k${i % KEYS}`;
  let loads = 0;
  const load = async (): Promise<Value> => ({ id: ++loads, name: 'loaded' });
  const getOrLoad = (ns: CacheNamespace<Value>) => (i: number) => ns.getOrLoad(`k${i % KEYS}`, load);
  const cases = {
    pipelined: getOrLoad(auto.ns),
    unpipelined: getOrLoad(plain.ns),
    bare: (i: number) => bare.get(bareKey(i)),
  };
  const figures = { pipelined: ZERO, unpipelined: ZERO, bare: ZERO };
  for (const op of Object.values(cases)) await concurrentRate(op, { ms: 200, workers }); // warm-up
  for (let r = 0; r < rounds; r++)
    for (const [name, op] of Object.entries(cases) as Array<[keyof typeof cases, (i: number) => Promise<unknown>]>)
      figures[name] = best(figures[name], await concurrentRate(op, { ms: 700, workers }));
  const batchKeys = (i: number): string[] => Array.from({ length: BATCH }, (_, j) => `k${(i * BATCH + j) % KEYS}`);
  const batchLoad = async (missing: string[]) =>
    new Map(missing.map((k): [string, Value] => [k, { id: ++loads, name: k }]));
  const batchCases = {
    batched: (i: number) => auto.ns.getOrLoadMany(batchKeys(i), batchLoad),
    bareBatched: (i: number) => bare.mget(batchKeys(i).map((k) => `${auto.cache.prefix}:bench:${k}`)),
  };
  const batches = { batched: ZERO, bareBatched: ZERO };
  for (let r = 0; r < rounds; r++)
    for (const [name, op] of Object.entries(batchCases) as Array<
      [keyof typeof batchCases, (i: number) => Promise<unknown>]
    >) {
      const rate = await concurrentRate(op, { ms: 700, workers: BATCH_WORKERS });
      batches[name] = best(batches[name], { ...rate, ops: rate.ops * BATCH, opsPerSec: rate.opsPerSec * BATCH });
    }
  if (loads > 0) throw new Error(`expected every key in L2, but ${loads} were loaded`);
  await auto.cache.close();
  await plain.cache.close();
  bare.disconnect();
  return { ...figures, workers, ...batches, batch: BATCH };
}

const ZERO: Rate = { opsPerSec: 0, ops: 0, ms: 0 };
