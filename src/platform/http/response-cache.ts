/**
 * Where `source.http` may keep responses: any cache with this shape (the worker's two-level cache, once wired).
 * Values are the parsed JSON bodies; keys never hold request headers (they are hashed).
 */
export interface ResponseCache {
  /** The cached value, or undefined when there is none (or it expired). */
  get(key: string): Promise<unknown> | unknown;
  /** Keeps `value` for `ttlMs` milliseconds. */
  set(key: string, value: unknown, ttlMs: number): Promise<void> | void;
}
