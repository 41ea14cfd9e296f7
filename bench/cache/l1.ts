/**
 * L1 throughput: `peek` (the synchronous L1 get every lookup row goes through) and sets, on a namespace holding
 * 100K entries; next to them, lru-cache and a Map doing the same work alone, measured in the same run.
 */
import { LRUCache } from 'lru-cache';
import { createCache } from '../../src/platform/cache';
import { approxBytes } from '../../src/platform/cache/size';
import { interleavedRates, type Rate } from './measure';

const KEYS = 100_000;
const MASK = 65_535; // a power of two below KEYS: the index wraps without a division

export interface L1Figures {
  readonly get: Rate;
  readonly getLru: Rate;
  readonly getMap: Rate;
  readonly setLocal: Rate;
  readonly setAsync: Rate;
  readonly setLru: Rate;
}

export async function benchL1(): Promise<L1Figures> {
  const keys = Array.from({ length: KEYS }, (_, i) => `key:${i}`);
  const cache = createCache({ defaults: { l1MaxEntries: KEYS * 2, ttlMs: 600_000, jitter: 0.1 } });
  const ns = cache.namespace<number>('bench');
  // Configured as the namespace's L1 is (entries, bytes, TTL), so the difference is the cache's own work.
  const lru = new LRUCache<string, number>({
    max: KEYS * 2,
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (v, k) => k.length * 2 + approxBytes(v),
    ttl: 600_000,
  });
  const map = new Map<string, number>();
  keys.forEach((k, i) => {
    ns.setLocal(k, i);
    lru.set(k, i);
    map.set(k, i);
  });
  // One loop per case, not one loop taking a function: a call site shared by the cases would turn megamorphic
  // and slow them all by different amounts.
  let offset = 0;
  const { get, getLru, getMap } = interleavedRates({
    get: (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += ns.peek(keys[(offset + i) & MASK] as string) ?? 0;
      offset += n;
      return sum;
    },
    getLru: (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += lru.get(keys[(offset + i) & MASK] as string) ?? 0;
      offset += n;
      return sum;
    },
    getMap: (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += map.get(keys[(offset + i) & MASK] as string) ?? 0;
      offset += n;
      return sum;
    },
  });
  const { setLocal, setLru } = interleavedRates({
    setLocal: (n) => {
      for (let i = 0; i < n; i++) ns.setLocal(keys[(offset + i) & MASK] as string, i);
      offset += n;
      return n;
    },
    setLru: (n) => {
      for (let i = 0; i < n; i++) lru.set(keys[(offset + i) & MASK] as string, i);
      offset += n;
      return n;
    },
  });
  // `set` as callers await it (L1 plus L2, here without Redis): one promise per set.
  let setAsync: Rate = { opsPerSec: 0, ops: 0, ms: 0 };
  for (let round = 0; round < 3; round++) {
    const n = 300_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await ns.set(keys[i & MASK] as string, i);
    const ms = performance.now() - t0;
    if ((n / ms) * 1000 > setAsync.opsPerSec) setAsync = { opsPerSec: (n / ms) * 1000, ops: n, ms };
  }
  await cache.close();
  return { get, getLru, getMap, setLocal, setAsync, setLru };
}
