/** A seeded Zipf sampler over ranks 0..n-1 (probability of rank k proportional to 1 / (k + 1)^s). */

/** mulberry32: a small, fast, seeded PRNG, so every run draws the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Zipf {
  /** A rank, 0 the most frequent. */
  next(): number;
  /** Probability mass of the `k` most frequent ranks: the hit rate of an ideal static cache holding them. */
  topMass(k: number): number;
}

export function zipf(n: number, s: number, seed = 42): Zipf {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    total += 1 / Math.pow(k + 1, s);
    cdf[k] = total;
  }
  for (let k = 0; k < n; k++) cdf[k] = (cdf[k] as number) / total;
  const random = seededRandom(seed);
  return {
    next() {
      const u = random();
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cdf[mid] as number) < u) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
    topMass: (k) => (k <= 0 ? 0 : (cdf[Math.min(k, n) - 1] as number)),
  };
}
