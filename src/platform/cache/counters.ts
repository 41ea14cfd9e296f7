/**
 * Request counts of one namespace: plain integer fields on the hot path (an L1 hit must cost nanoseconds), read
 * as totals by `stats()` and drained as deltas into the Prometheus counter when metrics are collected.
 */

export const CACHE_LEVELS = ['l1', 'l2'] as const;
export type CacheLevel = (typeof CACHE_LEVELS)[number];
export const CACHE_RESULTS = ['hit', 'miss'] as const;
export type CacheResult = (typeof CACHE_RESULTS)[number];

/** One labelled count, as `pipewright_cache_requests_total` takes it. */
export interface CacheRequestCount {
  readonly namespace: string;
  readonly level: CacheLevel;
  readonly result: CacheResult;
  readonly count: number;
}

export class NamespaceCounters {
  l1Hits = 0;
  l1Misses = 0;
  l2Hits = 0;
  l2Misses = 0;
  /** Calls of a loader (one per key, or one per batch of keys). */
  loads = 0;
  /** Keys loaded by those calls. */
  keysLoaded = 0;
  invalidations = 0;
  private drained = [0, 0, 0, 0];

  constructor(readonly namespace: string) {}

  /**
   * Counts since the previous drain, of every level and result (zeros too): each series then exists from the scrape
   * after the namespace's first use, so that Prometheus's rate() counts a level's first hits, which it would miss in
   * a series that appeared with them.
   */
  drain(): CacheRequestCount[] {
    const now = [this.l1Hits, this.l1Misses, this.l2Hits, this.l2Misses];
    const out: CacheRequestCount[] = [];
    const labels: Array<[CacheLevel, CacheResult]> = [
      ['l1', 'hit'],
      ['l1', 'miss'],
      ['l2', 'hit'],
      ['l2', 'miss'],
    ];
    now.forEach((value, i) => {
      const delta = value - (this.drained[i] as number);
      const [level, result] = labels[i] as [CacheLevel, CacheResult];
      out.push({ namespace: this.namespace, level, result, count: delta });
    });
    this.drained = now;
    return out;
  }
}
