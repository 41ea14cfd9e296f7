/** What a namespace needs from L2 (Redis through `RedisLink`, or nothing). */

export interface L2Store {
  /** Whether calls are made now; while false every call answers "nothing" at once. */
  readonly available: boolean;
  /** null: absent; undefined: Redis was not asked (away). */
  get(key: string): Promise<string | null | undefined>;
  mget(keys: readonly string[]): Promise<(string | null)[] | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  setMany(entries: ReadonlyArray<{ key: string; value: string; ttlMs: number }>): Promise<void>;
  del(key: string): Promise<void>;
  delMatching(pattern: string): Promise<number>;
  publish(text: string): Promise<boolean>;
}

/**
 * An L2 value: the entry's absolute expiry (epoch ms) and the value, so an L1 filled from L2 expires when the
 * entry does, not a whole TTL later.
 */
export const encodeEntry = (expiresAt: number, value: unknown): string => JSON.stringify([expiresAt, value]);

export function decodeEntry<T>(text: string, now: number): { value: T; expiresAt: number } | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'number') return undefined;
    if (parsed[0] <= now) return undefined;
    return { expiresAt: parsed[0], value: parsed[1] as T };
  } catch {
    return undefined;
  }
}
