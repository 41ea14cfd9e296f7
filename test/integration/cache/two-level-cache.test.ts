/**
 * The two-level cache on the real shared Redis, each test under a key prefix of its own: hit and miss counts per
 * level, TTL in both levels, single flight, batch loads, invalidation by key and by prefix reaching a second
 * instance (another worker) through pub/sub, the metrics, and a Redis that cannot be reached at start.
 */
import { createCache, type TwoLevelCache } from '../../../src/platform/cache';
import { createMetrics } from '../../../src/platform/metrics/metrics';
import { freePort } from '../../../src/platform/devserver/free-port';
import { dropPrefix, redisClient, SHARED_REDIS_URL, testPrefix } from '../../helpers/redis';

const quiet = { warn: () => undefined, info: () => undefined };
const opened: TwoLevelCache[] = [];
const prefixes: string[] = [];

function cacheFor(prefix: string, extra: Parameters<typeof createCache>[0] = {}): TwoLevelCache {
  const cache = createCache({ redisUrl: SHARED_REDIS_URL, prefix, log: quiet, ...extra });
  opened.push(cache);
  return cache;
}

async function pair(name: string, extra: Parameters<typeof createCache>[0] = {}) {
  const prefix = testPrefix(name);
  prefixes.push(prefix);
  const a = cacheFor(prefix, extra);
  const b = cacheFor(prefix, extra);
  expect(await a.connect()).toBe(true);
  expect(await b.connect()).toBe(true);
  return { prefix, a, b };
}

const until = async (what: string, check: () => boolean, timeoutMs = 3_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
  for (const p of prefixes) await dropPrefix(p);
});

test('L1 and L2 hits and misses are counted per level; a second instance is served from L2 without loading', async () => {
  const { a, b } = await pair('counts');
  let loads = 0;
  const load = async () => ({ n: ++loads });
  const na = a.namespace<{ n: number }>('things');
  expect(await na.getOrLoad('k', load)).toEqual({ n: 1 });
  expect(await na.getOrLoad('k', load)).toEqual({ n: 1 });
  expect(na.stats()).toMatchObject({ l1: { hits: 1, misses: 1, entries: 1 }, l2: { hits: 0, misses: 1 }, loads: 1 });

  const nb = b.namespace<{ n: number }>('things');
  expect(await nb.getOrLoad('k', load)).toEqual({ n: 1 });
  expect(await nb.getOrLoad('k', load)).toEqual({ n: 1 });
  expect(loads).toBe(1);
  expect(nb.stats()).toMatchObject({ l1: { hits: 1, misses: 1 }, l2: { hits: 1, misses: 0 }, loads: 0 });
  expect(a.stats().l2).toEqual({ configured: true, available: true });
});

test('entries expire from both levels after the TTL; TTLs carry the namespace jitter', async () => {
  const { prefix, a, b } = await pair('ttl', { namespaces: { short: { ttlMs: 300, jitter: 0 } } });
  const ns = a.namespace<string>('short');
  await ns.set('x', 'one');
  const redis = redisClient();
  try {
    const pttl = await redis.pttl(`${prefix}:short:x`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(300);
    expect(await b.namespace<string>('short').get('x')).toBe('one');
    await new Promise((r) => setTimeout(r, 400));
    expect(ns.peek('x')).toBeUndefined();
    expect(await b.namespace<string>('short').get('x')).toBeUndefined();
    expect(await redis.exists(`${prefix}:short:x`)).toBe(0);

    // Jitter 0.5 with the random source at 1: the shortest possible TTL, half the namespace's.
    const jittered = cacheFor(prefix, { random: () => 1, namespaces: { wide: { ttlMs: 10_000, jitter: 0.5 } } });
    await jittered.connect();
    await jittered.namespace<string>('wide').set('y', 'two');
    const wide = await redis.pttl(`${prefix}:wide:y`);
    expect(wide).toBeGreaterThan(4_000);
    expect(wide).toBeLessThanOrEqual(5_000);
  } finally {
    redis.disconnect();
  }
});

test('single flight: 50 concurrent misses of one key load it once; a batch joins loads in flight', async () => {
  const { a } = await pair('flight');
  const ns = a.namespace<string>('slow');
  let loads = 0;
  const slow = async () => {
    loads++;
    await new Promise((r) => setTimeout(r, 100));
    return 'v';
  };
  const results = await Promise.all(Array.from({ length: 50 }, () => ns.getOrLoad('same', slow)));
  expect(results).toEqual(Array(50).fill('v'));
  expect(loads).toBe(1);

  // Two overlapping batches at once: every key is loaded by exactly one of them.
  const asked: string[][] = [];
  const batchLoad = async (keys: string[]) => {
    asked.push(keys);
    await new Promise((r) => setTimeout(r, 50));
    return new Map(keys.map((k) => [k, k.toUpperCase()]));
  };
  const [x, y] = await Promise.all([
    ns.getOrLoadMany(['a', 'b', 'c'], batchLoad),
    ns.getOrLoadMany(['b', 'c', 'd'], batchLoad),
  ]);
  expect(Object.fromEntries(x)).toEqual({ a: 'A', b: 'B', c: 'C' });
  expect(Object.fromEntries(y)).toEqual({ b: 'B', c: 'C', d: 'D' });
  expect(asked).toEqual([['a', 'b', 'c'], ['d']]);
});

test('a batch asks L2 once for what L1 lacks and loads only what neither level holds; null is cached', async () => {
  const { a, b } = await pair('batch');
  await a.namespace<string | null>('dim').set('1', 'one');
  await a.namespace<string | null>('dim').set('2', null);
  const nb = b.namespace<string | null>('dim');
  await nb.set('3', 'three');
  const asked: string[][] = [];
  const found = await nb.getOrLoadMany(['1', '2', '3', '4', '5'], async (keys) => {
    asked.push(keys);
    return new Map([['4', 'four']]);
  });
  expect(Object.fromEntries(found)).toEqual({ '1': 'one', '2': null, '3': 'three', '4': 'four' });
  expect(asked).toEqual([['4', '5']]);
  expect(nb.stats()).toMatchObject({ l1: { hits: 1, misses: 4 }, l2: { hits: 2, misses: 2 }, loads: 1, keysLoaded: 2 });
  // '5' was not found and not cached: asked again next time; '2' is a cached null.
  await nb.getOrLoadMany(['2', '5'], async (keys) => {
    asked.push(keys);
    return new Map();
  });
  expect(asked).toEqual([['4', '5'], ['5']]);
});

test('invalidation by key reaches the other instance through pub/sub and removes the L2 copy', async () => {
  const { a, b } = await pair('inv-key');
  let version = 1;
  const load = async () => `v${version}`;
  const na = a.namespace<string>('defs');
  const nb = b.namespace<string>('defs');
  expect(await na.getOrLoad('p@latest', load)).toBe('v1');
  expect(await nb.getOrLoad('p@latest', load)).toBe('v1');
  expect(nb.stats().l1.entries).toBe(1);

  version = 2;
  await na.invalidate('p@latest');
  await until('b to drop its L1 copy', () => nb.stats().invalidations === 1);
  expect(nb.stats().l1.entries).toBe(0);
  expect(await nb.getOrLoad('p@latest', load)).toBe('v2');
  expect(await na.getOrLoad('p@latest', load)).toBe('v2');
  expect(na.stats().l2.hits).toBe(1); // a found b's fresh value in L2
});

test('invalidation by prefix drops matching keys in both levels and in the other instance, and nothing else', async () => {
  const { prefix, a, b } = await pair('inv-prefix');
  const na = a.namespace<string>('lookup');
  const nb = b.namespace<string>('lookup');
  for (const k of ['t:customers|1', 't:customers|2', 't:orders|1']) {
    await na.set(k, k);
    expect(await nb.get(k)).toBe(k);
  }
  expect(nb.stats().l1.entries).toBe(3);
  await na.invalidatePrefix('t:customers|');
  await until('b to apply the prefix invalidation', () => nb.stats().invalidations === 1);
  expect(nb.peek('t:customers|1')).toBeUndefined();
  expect(nb.peek('t:customers|2')).toBeUndefined();
  expect(nb.peek('t:orders|1')).toBe('t:orders|1');
  const redis = redisClient();
  try {
    expect((await redis.keys(`${prefix}:lookup:*`)).sort()).toEqual([`${prefix}:lookup:t:orders|1`]);
  } finally {
    redis.disconnect();
  }
});

test('the metrics show requests by namespace, level and result, and whether L2 is in use', async () => {
  const { a } = await pair('metrics');
  const metrics = createMetrics();
  metrics.observeCache(a);
  const ns = a.namespace<number>('m');
  await ns.getOrLoad('k', async () => 1);
  await ns.getOrLoad('k', async () => 1);
  const text = await metrics.registry.metrics();
  expect(text).toContain('pipewright_cache_requests_total{cache="m",level="l1",result="hit"} 1');
  expect(text).toContain('pipewright_cache_requests_total{cache="m",level="l1",result="miss"} 1');
  expect(text).toContain('pipewright_cache_requests_total{cache="m",level="l2",result="miss"} 1');
  // Every level and result of a namespace in use, zeros too (Prometheus's rate() misses a series' first value).
  expect(text).toContain('pipewright_cache_requests_total{cache="m",level="l2",result="hit"} 0');
  expect(text).toContain('pipewright_cache_l2_available 1');
  // Drained counts are not counted twice.
  await ns.getOrLoad('k', async () => 1);
  expect(await metrics.registry.metrics()).toContain(
    'pipewright_cache_requests_total{cache="m",level="l1",result="hit"} 2',
  );
});

test('a Redis that cannot be reached at start is one warning, and the cache works from L1 alone', async () => {
  const warnings: string[] = [];
  const port = await freePort();
  const cache = createCache({
    redisUrl: `redis://:secret@127.0.0.1:${port}`,
    prefix: testPrefix('down'),
    connectTimeoutMs: 500,
    log: { warn: (m) => warnings.push(m), info: () => undefined },
  });
  opened.push(cache);
  expect(await cache.connect()).toBe(false);
  let loads = 0;
  const ns = cache.namespace<string>('x');
  expect(await ns.getOrLoad('k', async () => `v${++loads}`)).toBe('v1');
  expect(await ns.getOrLoad('k', async () => `v${++loads}`)).toBe('v1');
  await ns.invalidate('k');
  expect(await ns.getOrLoad('k', async () => `v${++loads}`)).toBe('v2');
  expect(cache.stats().l2).toEqual({ configured: true, available: false });
  expect(ns.stats().l2).toEqual({ hits: 0, misses: 0 });
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain('caching in process only (L1)');
  expect(warnings[0]).not.toContain('secret');
});
