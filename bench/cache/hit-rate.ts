/**
 * Hit rate on a Zipf workload: 100K keys, 1M requests, the cache's L1 holding 10% of the keys. L1 alone (LRU) is
 * set against the best any cache of that size can do without knowing the future (the 10% most frequent keys held
 * for good); L1 with L2 (Redis holding every key once loaded) counts the requests served without a load.
 */
import { createCache } from '../../src/platform/cache';
import { zipf } from './zipf';

export interface HitRateFigures {
  readonly keys: number;
  readonly requests: number;
  readonly l1Entries: number;
  readonly exponent: number;
  /** Requests L1 answered. */
  readonly l1: number;
  /** The 10% most frequent keys' share of the requests. */
  readonly staticBest: number;
  /** Requests answered without a load, by L1 or L2. */
  readonly twoLevel: number;
}

const KEYS = 100_000;
const REQUESTS = 1_000_000;
const BATCH = 1_000;

export async function benchHitRate(redisUrl: string, exponent: number): Promise<HitRateFigures> {
  const l1Entries = KEYS / 10;
  const settings = { l1MaxEntries: l1Entries, ttlMs: 600_000, jitter: 0 };

  const local = createCache({ defaults: settings });
  const l1 = local.namespace<number>('zipf');
  let draw = zipf(KEYS, exponent);
  for (let i = 0; i < REQUESTS; i++) {
    const key = String(draw.next());
    if (l1.peek(key) === undefined) l1.setLocal(key, 1);
  }
  const l1Rate = l1.stats().l1.hits / REQUESTS;
  await local.close();

  // The same sequence through both levels, in batches as transform.lookup asks: L1, then one MGET, then one load.
  const shared = createCache({ redisUrl, prefix: `bench-zipf-${process.pid}-${exponent}`, defaults: settings });
  if (!(await shared.connect())) throw new Error(`Redis at ${redisUrl} does not answer`);
  const both = shared.namespace<number>('zipf');
  draw = zipf(KEYS, exponent);
  let loaded = 0;
  for (let i = 0; i < REQUESTS; i += BATCH) {
    const keys = Array.from({ length: BATCH }, () => String(draw.next()));
    await both.getOrLoadMany(keys, async (missing) => {
      loaded += missing.length;
      return new Map(missing.map((k) => [k, 1]));
    });
  }
  await shared.close();
  return {
    keys: KEYS,
    requests: REQUESTS,
    l1Entries,
    exponent,
    l1: l1Rate,
    staticBest: draw.topMass(l1Entries),
    twoLevel: 1 - loaded / REQUESTS,
  };
}
