/**
 * One namespace of the two-level cache (`lookup`, `definitions`, `memo`, ...): L1 in process (lru-cache, bounded
 * by entries and bytes, per-entry TTL), L2 in Redis (shared by every worker), single flight per key, and
 * invalidation by key or prefix that reaches every instance's L1.
 */
import { LRUCache } from 'lru-cache';
import { encodeInvalidation, type Invalidation } from './invalidation';
import { escapeGlob, redisKey } from './keys';
import { decodeEntry, encodeEntry, type L2Store } from './l2';
import { NamespaceCounters } from './counters';
import type { NamespaceSettings } from './settings';
import { SingleFlight } from './single-flight';
import { approxBytes } from './size';
import { jitteredTtl } from './ttl';

const NOTHING: Promise<undefined> = Promise.resolve(undefined);

/** lru-cache holds no null; a cached null (a key known to be absent) is stored as this. */
const NULL_VALUE = Symbol('null');
type Stored<T> = (T & {}) | typeof NULL_VALUE;

export interface SetOptions<T = unknown> {
  /** This entry's lifetime instead of the namespace's TTL (jitter still applies); or a function of the value. */
  readonly ttlMs?: number | ((value: T) => number);
}

export interface NamespaceStats {
  readonly l1: { readonly hits: number; readonly misses: number; readonly entries: number; readonly bytes: number };
  readonly l2: { readonly hits: number; readonly misses: number };
  readonly loads: number;
  readonly keysLoaded: number;
  readonly invalidations: number;
}

export interface NamespaceDeps {
  readonly prefix: string;
  /** Identifies this cache instance in broadcasts, so it skips its own. */
  readonly origin: string;
  readonly l2?: L2Store;
  readonly random: () => number;
}

/** Loads the values of keys missing from both levels; keys it leaves out are not found (and not cached). */
export type BatchLoader<T> = (keys: string[]) => Promise<ReadonlyMap<string, T>>;

export class CacheNamespace<T> {
  private readonly l1?: LRUCache<string, Stored<T>>;
  private readonly flights = new SingleFlight<T | undefined>();
  private readonly counters: NamespaceCounters;
  /** Bumped by every invalidation: a load that started before one does not store what it loaded. */
  private epoch = 0;

  constructor(
    readonly name: string,
    readonly settings: NamespaceSettings,
    private readonly deps: NamespaceDeps,
  ) {
    this.counters = new NamespaceCounters(name);
    if (settings.l1MaxEntries > 0)
      this.l1 = new LRUCache<string, Stored<T>>({
        max: settings.l1MaxEntries,
        maxSize: settings.l1MaxBytes,
        sizeCalculation: (value, key) => key.length * 2 + (value === NULL_VALUE ? 8 : approxBytes(value)),
        ttl: settings.ttlMs,
        // Expired entries go when touched or evicted; no timer per entry.
        ttlAutopurge: false,
      });
  }

  /** L1 only, synchronous: the hot path. Counts an L1 hit or miss. */
  peek(key: string): T | undefined {
    const stored = this.l1?.get(key);
    if (stored === undefined) {
      this.counters.l1Misses++;
      return undefined;
    }
    this.counters.l1Hits++;
    return (stored === NULL_VALUE ? null : stored) as T;
  }

  /** L1, then L2; undefined when neither holds the key. */
  async get(key: string): Promise<T | undefined> {
    const local = this.peek(key);
    if (local !== undefined) return local;
    const running = this.flights.current(key);
    if (running) return running;
    return this.fromL2(key, this.epoch);
  }

  /**
   * L1, then L2, then `load` (once, however many callers miss the key at the same time). A loaded value is stored
   * in both levels unless it is undefined (not found); null is a value and is cached.
   */
  getOrLoad(key: string, load: () => Promise<T | undefined>, options: SetOptions<T> = {}): Promise<T | undefined> {
    const local = this.peek(key);
    if (local !== undefined) return Promise.resolve(local);
    return this.flights.run(key, () => {
      const epoch = this.epoch;
      return this.fromL2(key, epoch).then((remote) =>
        remote !== undefined ? remote : this.loadOne(key, load, options, epoch),
      );
    });
  }

  /**
   * The batch form: L1 for each key, one MGET for the keys L1 lacks, one `load` call for the keys neither level
   * holds (joining loads already in flight for any of them). Returns the values found, by key.
   */
  async getOrLoadMany(
    keys: Iterable<string>,
    load: BatchLoader<T>,
    options: SetOptions<T> = {},
  ): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    const waits: Promise<void>[] = [];
    const mine: string[] = [];
    for (const key of new Set(keys)) {
      const local = this.peek(key);
      if (local !== undefined) {
        found.set(key, local);
        continue;
      }
      const running = this.flights.current(key);
      if (running)
        waits.push(
          running.then((v) => {
            if (v !== undefined) found.set(key, v);
          }),
        );
      else mine.push(key);
    }
    if (mine.length > 0) await this.loadBatch(mine, load, options, found);
    await Promise.all(waits);
    return found;
  }

  /**
   * Stores a value in this process's L1 only, synchronously: for values other instances need not see (they will
   * not). Jitter applies to the TTL as in {@link set}.
   */
  setLocal(key: string, value: T, options: SetOptions<T> = {}): void {
    if (value === undefined) return;
    const ttlOf = options.ttlMs ?? this.settings.ttlMs;
    const ttl = typeof ttlOf === 'function' ? ttlOf(value) : ttlOf;
    this.toL1(key, value, jitteredTtl(ttl, this.settings.jitter, this.deps.random));
  }

  /** Stores a value in both levels. */
  async set(key: string, value: T, options: SetOptions<T> = {}): Promise<void> {
    if (value === undefined) return;
    await this.store([[key, value]], options);
  }

  /** Drops `key` here, in Redis, and (through the broadcast) in every other instance's L1. */
  async invalidate(key: string): Promise<void> {
    this.dropLocal({ key });
    await this.deps.l2?.del(redisKey(this.deps.prefix, this.name, key));
    await this.broadcast({ origin: this.deps.origin, namespace: this.name, key });
  }

  /** Drops every key that starts with `prefix` (all of the namespace for `""`), everywhere. */
  async invalidatePrefix(prefix: string): Promise<void> {
    this.dropLocal({ prefix });
    await this.deps.l2?.delMatching(`${escapeGlob(redisKey(this.deps.prefix, this.name, prefix))}*`);
    await this.broadcast({ origin: this.deps.origin, namespace: this.name, prefix });
  }

  /** Applies an invalidation to L1 only (a broadcast from another instance, or a reconnect). */
  dropLocal(what: { key: string } | { prefix: string }): void {
    this.epoch++;
    this.counters.invalidations++;
    if (!this.l1) return;
    if ('key' in what) {
      this.l1.delete(what.key);
      return;
    }
    if (what.prefix === '') {
      this.l1.clear();
      return;
    }
    for (const key of [...this.l1.keys()]) if (key.startsWith(what.prefix)) this.l1.delete(key);
  }

  stats(): NamespaceStats {
    const c = this.counters;
    return {
      l1: { hits: c.l1Hits, misses: c.l1Misses, entries: this.l1?.size ?? 0, bytes: this.l1?.calculatedSize ?? 0 },
      l2: { hits: c.l2Hits, misses: c.l2Misses },
      loads: c.loads,
      keysLoaded: c.keysLoaded,
      invalidations: c.invalidations,
    };
  }

  /** Counts since the last drain, for the metrics. */
  drainCounts() {
    return this.counters.drain();
  }

  private fromL2(key: string, epoch: number): Promise<T | undefined> {
    const l2 = this.deps.l2;
    if (!l2?.available) return NOTHING;
    return l2.get(redisKey(this.deps.prefix, this.name, key)).then((text) => {
      const entry = text == null ? undefined : decodeEntry<T>(text, Date.now());
      if (!entry) {
        // Not asked (Redis went away meanwhile) is not a miss of L2.
        if (text !== undefined) this.counters.l2Misses++;
        return undefined;
      }
      this.counters.l2Hits++;
      if (epoch === this.epoch) this.toL1(key, entry.value, entry.expiresAt - Date.now());
      return entry.value;
    });
  }

  private async loadOne(
    key: string,
    load: () => Promise<T | undefined>,
    options: SetOptions<T>,
    epoch: number,
  ): Promise<T | undefined> {
    const value = await load();
    this.counters.loads++;
    this.counters.keysLoaded++;
    if (value !== undefined && epoch === this.epoch) await this.store([[key, value]], options);
    return value;
  }

  private async loadBatch(
    keys: string[],
    load: BatchLoader<T>,
    options: SetOptions<T>,
    found: Map<string, T>,
  ): Promise<void> {
    const epoch = this.epoch;
    const batch = this.flights.claim(keys);
    try {
      let rest = keys;
      const l2 = this.deps.l2;
      if (l2?.available) {
        const texts = await l2.mget(keys.map((k) => redisKey(this.deps.prefix, this.name, k)));
        if (texts) {
          rest = [];
          const now = Date.now();
          keys.forEach((key, i) => {
            const text = texts[i];
            const entry = text == null ? undefined : decodeEntry<T>(text, now);
            if (!entry) {
              this.counters.l2Misses++;
              rest.push(key);
              return;
            }
            this.counters.l2Hits++;
            if (epoch === this.epoch) this.toL1(key, entry.value, entry.expiresAt - now);
            found.set(key, entry.value);
            batch.settle(key, entry.value);
          });
        }
      }
      if (rest.length > 0) {
        const loaded = await load(rest);
        this.counters.loads++;
        this.counters.keysLoaded += rest.length;
        const entries: Array<[string, T]> = [];
        for (const key of rest) {
          const value = loaded.get(key);
          if (value === undefined) continue;
          found.set(key, value);
          entries.push([key, value]);
          batch.settle(key, value);
        }
        // The batch's callers need not wait for Redis to take the copies: later commands on the connection
        // (an invalidation's DEL among them) still come after these writes.
        if (epoch === this.epoch) void this.store(entries, options);
      }
      batch.finish();
    } catch (err) {
      batch.finish(err);
      throw err;
    }
  }

  private async store(entries: ReadonlyArray<readonly [string, T]>, options: SetOptions<T>): Promise<void> {
    if (entries.length === 0) return;
    const now = Date.now();
    const ttlOf = options.ttlMs ?? this.settings.ttlMs;
    const writes: Array<{ key: string; value: string; ttlMs: number }> = [];
    const l2 = this.deps.l2?.available ? this.deps.l2 : undefined;
    for (const [key, value] of entries) {
      const ttl = typeof ttlOf === 'function' ? ttlOf(value) : ttlOf;
      if (ttl <= 0) continue;
      const ttlMs = jitteredTtl(ttl, this.settings.jitter, this.deps.random);
      this.toL1(key, value, ttlMs);
      if (l2)
        writes.push({ key: redisKey(this.deps.prefix, this.name, key), value: encodeEntry(now + ttlMs, value), ttlMs });
    }
    if (l2) await l2.setMany(writes);
  }

  private toL1(key: string, value: T, ttlMs: number): void {
    if (!this.l1 || ttlMs <= 0) return;
    this.l1.set(key, (value === null ? NULL_VALUE : value) as Stored<T>, { ttl: ttlMs });
  }

  private async broadcast(message: Invalidation): Promise<void> {
    await this.deps.l2?.publish(encodeInvalidation(message));
  }
}
