/**
 * The two-level cache of a process: namespaces (each with its own TTL and L1 bounds) over one Redis link, which
 * carries L2 and the invalidation broadcasts. Without a Redis URL, or while Redis is away, it works from L1 alone.
 *
 * ```ts
 * const cache = createCache({ redisUrl: 'redis://127.0.0.1:6379', prefix: 'pipewright' });
 * await cache.connect(); // false (and a warning) when Redis does not answer: L1 only until it does
 * const defs = cache.namespace<Definition>('definitions');
 * const def = await defs.getOrLoad('orders@3', () => loadFromPostgres('orders', '3'));
 * await defs.invalidatePrefix('orders@'); // every worker drops its copies
 * ```
 */
import type { ConnectionOptions } from 'node:tls';
import { randomUUID } from 'node:crypto';
import type { CacheRequestCount } from './counters';
import { decodeInvalidation } from './invalidation';
import { invalidationChannel } from './keys';
import { CacheNamespace, type NamespaceStats } from './namespace';
import { identityGuard, RedisLink, type CacheLog, type CallGuard } from './redis-link';
import {
  DEFAULT_CACHE_PREFIX,
  DEFAULT_NAMESPACE_SETTINGS,
  resolveNamespaceSettings,
  type NamespaceSettings,
} from './settings';

export interface CacheOptions {
  /** Redis for L2 and broadcasts; omit for an in-process cache (L1 only). */
  readonly redisUrl?: string;
  /** Prefix of Redis keys and of the channel; default `pipewright`. Give each test its own. */
  readonly prefix?: string;
  readonly defaults?: Partial<NamespaceSettings>;
  readonly namespaces?: Readonly<Record<string, Partial<NamespaceSettings>>>;
  /** Default 500 ms. */
  readonly commandTimeoutMs?: number;
  /** Default 2 s. */
  readonly connectTimeoutMs?: number;
  /** Batch concurrent commands into pipelines (ioredis auto-pipelining); default true. */
  readonly autoPipelining?: boolean;
  /** Wraps every Redis call: the Redis circuit breaker. Default: calls go straight through. */
  readonly guard?: CallGuard;
  /** TLS for Redis (`redisTlsOptions(config.redisTls)`); a `rediss://` URL turns TLS on by itself. */
  readonly tls?: ConnectionOptions;
  /** Where the outage warning and the recovery line go; default the console. */
  readonly log?: CacheLog;
  /** For TTL jitter; default Math.random. */
  readonly random?: () => number;
}

export interface CacheStats {
  readonly l2: {
    /** Whether the cache has a Redis URL at all. */
    readonly configured: boolean;
    /** Whether L2 is used now (false: L1 only). */
    readonly available: boolean;
  };
  readonly namespaces: Readonly<Record<string, NamespaceStats>>;
}

export interface TwoLevelCache {
  readonly prefix: string;
  /** The namespace called `name`, created on first use with its configured settings (or `settings`). */
  namespace<T>(name: string, settings?: Partial<NamespaceSettings>): CacheNamespace<T>;
  /** Connects to Redis; false (after a warning) when it does not answer in time. Never throws. */
  connect(): Promise<boolean>;
  /** Whether L2 is used now. */
  readonly l2Available: boolean;
  stats(): CacheStats;
  /** Request counts since the last drain, for `pipewright_cache_requests_total`. */
  drainCounts(): CacheRequestCount[];
  close(): Promise<void>;
}

const consoleLog: CacheLog = { warn: (m) => console.warn(m), info: (m) => console.log(m) };

export function createCache(options: CacheOptions = {}): TwoLevelCache {
  const prefix = options.prefix ?? DEFAULT_CACHE_PREFIX;
  const origin = randomUUID();
  const defaults = resolveNamespaceSettings(DEFAULT_NAMESPACE_SETTINGS, options.defaults);
  const namespaces = new Map<string, CacheNamespace<unknown>>();
  const log = options.log ?? consoleLog;

  const link = options.redisUrl
    ? new RedisLink({
        url: options.redisUrl,
        channel: invalidationChannel(prefix),
        autoPipelining: options.autoPipelining ?? true,
        commandTimeoutMs: options.commandTimeoutMs ?? 500,
        connectTimeoutMs: options.connectTimeoutMs ?? 2_000,
        guard: options.guard ?? identityGuard,
        tls: options.tls,
        log,
        onMessage(text) {
          const message = decodeInvalidation(text);
          if (!message || message.origin === origin) return;
          namespaces.get(message.namespace)?.dropLocal(message);
        },
        // Broadcasts sent while the subscriber was away are lost: drop every L1 copy that one may have concerned.
        onReconnected() {
          for (const ns of namespaces.values()) ns.dropLocal({ prefix: '' });
        },
      })
    : undefined;

  return {
    prefix,
    namespace<T>(name: string, settings?: Partial<NamespaceSettings>): CacheNamespace<T> {
      let ns = namespaces.get(name);
      if (!ns) {
        const resolved = resolveNamespaceSettings(defaults, { ...options.namespaces?.[name], ...settings });
        ns = new CacheNamespace<unknown>(name, resolved, {
          prefix,
          origin,
          l2: link,
          random: options.random ?? Math.random,
        });
        namespaces.set(name, ns);
      }
      return ns as CacheNamespace<T>;
    },
    connect: async () => (link ? link.connect() : false),
    get l2Available() {
      return link?.available ?? false;
    },
    stats() {
      return {
        l2: { configured: link !== undefined, available: link?.available ?? false },
        namespaces: Object.fromEntries([...namespaces].map(([name, ns]) => [name, ns.stats()])),
      };
    },
    drainCounts: () => [...namespaces.values()].flatMap((ns) => ns.drainCounts()),
    close: async () => link?.close(),
  };
}
