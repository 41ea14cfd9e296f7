/** Pure parts of the cache, and the in-process cache (no Redis URL): L1 bounds, TTL, single flight. */
import { createCache } from '../../../src/platform/cache';
import { decodeInvalidation, encodeInvalidation } from '../../../src/platform/cache/invalidation';
import { escapeGlob, redisKey } from '../../../src/platform/cache/keys';
import { decodeEntry, encodeEntry } from '../../../src/platform/cache/l2';
import { SingleFlight } from '../../../src/platform/cache/single-flight';
import { approxBytes } from '../../../src/platform/cache/size';
import { jitteredTtl } from '../../../src/platform/cache/ttl';

test('jitter shortens a TTL by up to its fraction, never below 1 ms', () => {
  expect(jitteredTtl(1000, 0, () => 0.99)).toBe(1000);
  expect(jitteredTtl(1000, 0.2, () => 0)).toBe(1000);
  expect(jitteredTtl(1000, 0.2, () => 0.5)).toBe(900);
  expect(jitteredTtl(1000, 0.2, () => 1)).toBe(800);
  expect(jitteredTtl(1, 1, () => 1)).toBe(1);
  const spread = new Set(Array.from({ length: 200 }, () => jitteredTtl(10_000, 0.1)));
  expect(spread.size).toBeGreaterThan(50);
  for (const t of spread) expect(t >= 9_000 && t <= 10_000).toBe(true);
});

test('keys are namespaced, and glob characters of a prefix are escaped for SCAN MATCH', () => {
  expect(redisKey('pw', 'lookup', 't:a|1')).toBe('pw:lookup:t:a|1');
  expect(escapeGlob('a*b?c[d]e\\f^')).toBe('a\\*b\\?c\\[d\\]e\\\\f\\^');
});

test('L2 entries carry their expiry; expired or malformed ones read as absent', () => {
  const text = encodeEntry(2_000, { a: [1, null] });
  expect(decodeEntry(text, 1_000)).toEqual({ expiresAt: 2_000, value: { a: [1, null] } });
  expect(decodeEntry(text, 2_000)).toBeUndefined();
  expect(decodeEntry('not json', 0)).toBeUndefined();
  expect(decodeEntry('[1]', 0)).toBeUndefined();
  expect(decodeEntry(encodeEntry(5, null), 1)).toEqual({ expiresAt: 5, value: null });
});

test('invalidation messages round-trip; anything else on the channel is ignored', () => {
  const m = { origin: 'o', namespace: 'defs', prefix: 'p@' };
  expect(decodeInvalidation(encodeInvalidation(m))).toEqual(m);
  expect(decodeInvalidation('{"origin":"o","namespace":"n","key":"k","extra":1}')).toBeUndefined();
  expect(decodeInvalidation('hello')).toBeUndefined();
});

test('approxBytes grows with content and stays finite for deep values', () => {
  expect(approxBytes('abcd')).toBeGreaterThan(approxBytes('a'));
  expect(approxBytes(['x', 'y'])).toBeGreaterThan(approxBytes(['x']));
  const deep: Record<string, unknown> = {};
  let cur = deep;
  for (let i = 0; i < 100; i++) cur = (cur.next = {}) as Record<string, unknown>;
  expect(Number.isFinite(approxBytes(deep))).toBe(true);
});

test('single flight: joiners share one load; a failed load rejects them all and the next call loads again', async () => {
  const sf = new SingleFlight<number>();
  let calls = 0;
  const load = () => new Promise<number>((r) => setTimeout(() => r(++calls), 20));
  expect(await Promise.all([sf.run('k', load), sf.run('k', load), sf.run('k', load)])).toEqual([1, 1, 1]);
  expect(sf.size).toBe(0);
  const failing = () => Promise.reject(new Error('boom'));
  await expect(Promise.all([sf.run('k', failing), sf.run('k', load)])).rejects.toThrow('boom');
  expect(await sf.run('k', load)).toBe(2);

  const batch = sf.claim(['a', 'b']);
  const joinedA = sf.current('a') as Promise<number>;
  const joinedB = sf.run('b', load);
  batch.settle('a', 10);
  batch.finish();
  expect(await joinedA).toBe(10);
  expect(await joinedB).toBeUndefined(); // claimed, not found: no load of its own
  expect(sf.size).toBe(0);
  const failed = sf.claim(['c']);
  const joinedC = sf.current('c') as Promise<number>;
  failed.finish(new Error('batch failed'));
  await expect(joinedC).rejects.toThrow('batch failed');
  expect(sf.size).toBe(0);
});

test('the in-process cache bounds L1 by entries and by bytes, and expires entries', async () => {
  const cache = createCache({
    namespaces: {
      few: { l1MaxEntries: 3, ttlMs: 60_000 },
      small: { l1MaxEntries: 1000, l1MaxBytes: 2_000, ttlMs: 60_000 },
      brief: { ttlMs: 50, jitter: 0 },
    },
  });
  expect(await cache.connect()).toBe(false);
  const few = cache.namespace<number>('few');
  for (let i = 0; i < 10; i++) await few.set(`k${i}`, i);
  expect(few.stats().l1.entries).toBe(3);
  expect(few.peek('k9')).toBe(9);
  expect(few.peek('k0')).toBeUndefined();

  const small = cache.namespace<string>('small');
  for (let i = 0; i < 100; i++) await small.set(`k${i}`, 'x'.repeat(100));
  expect(small.stats().l1.bytes).toBeLessThanOrEqual(2_000);
  expect(small.stats().l1.entries).toBeLessThan(10);

  const brief = cache.namespace<string>('brief');
  await brief.set('k', 'v');
  expect(brief.peek('k')).toBe('v');
  await new Promise((r) => setTimeout(r, 80));
  expect(brief.peek('k')).toBeUndefined();
  expect(cache.stats().l2).toEqual({ configured: false, available: false });
  await cache.close();
});

test('a namespace with L1 off still loads through single flight', async () => {
  const cache = createCache({ namespaces: { none: { l1MaxEntries: 0 } } });
  const ns = cache.namespace<number>('none');
  let loads = 0;
  const results = await Promise.all([1, 2, 3].map(() => ns.getOrLoad('k', async () => ++loads)));
  expect(results).toEqual([1, 1, 1]);
  expect(ns.stats().l1.entries).toBe(0);
});
