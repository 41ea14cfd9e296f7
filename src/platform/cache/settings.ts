/**
 * Settings of the two-level cache: per-namespace TTL (with jitter) and L1 bounds, the Redis key prefix and
 * timeouts. zod schemas next to their types; `loadConfig` builds them from the environment.
 */
import { z } from 'zod';

/** How one namespace (`lookup`, `definitions`, `memo`, ...) caches its entries. */
export const NamespaceSettingsSchema = z
  .object({
    /** Lifetime of an entry unless the caller gives its own. */
    ttlMs: z.number().int().positive(),
    /** Each TTL is shortened by up to this fraction, at random, so entries written together expire apart. */
    jitter: z.number().min(0).max(1),
    /** Entries held in process; 0 turns L1 off for the namespace. */
    l1MaxEntries: z.number().int().min(0),
    /** Approximate bytes held in process (strings count two bytes a character). */
    l1MaxBytes: z.number().int().positive(),
  })
  .strict();
export type NamespaceSettings = z.infer<typeof NamespaceSettingsSchema>;

export const DEFAULT_NAMESPACE_SETTINGS: NamespaceSettings = Object.freeze({
  ttlMs: 5 * 60_000,
  jitter: 0.1,
  l1MaxEntries: 100_000,
  l1MaxBytes: 64 * 1024 * 1024,
});

/** A Redis key and channel prefix: letters, digits, `_`, `-`, `.` and `:`. */
export const CachePrefixSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'expected letters, digits, "_", "-", "." or ":" (at most 100)');

/** The cache's settings as the configuration holds them. */
export interface CacheSettings {
  /** Redis for L2 and invalidation broadcasts; undefined keeps the cache in process (L1 only). */
  readonly redisUrl?: string;
  /** Prefix of every Redis key and of the invalidation channel; each deployment (and each test) its own. */
  readonly prefix: string;
  readonly defaults: NamespaceSettings;
  /** Settings of particular namespaces, over the defaults. */
  readonly namespaces: Readonly<Record<string, Partial<NamespaceSettings>>>;
  /** A Redis command that takes longer fails (and the cache serves from L1 alone for a moment). */
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

export const DEFAULT_CACHE_PREFIX = 'pipewright';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Namespace settings: the namespace's own over the defaults. */
export function resolveNamespaceSettings(
  defaults: NamespaceSettings,
  own: Partial<NamespaceSettings> | undefined,
): NamespaceSettings {
  return NamespaceSettingsSchema.parse({ ...defaults, ...own });
}
