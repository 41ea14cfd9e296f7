/**
 * Configuration, read once from the environment and frozen. Nothing else reads `process.env`.
 */
import { z } from 'zod';
import { CachePrefixSchema, DEFAULT_REDIS_URL, type CacheSettings } from '../cache/settings';
import { parseDuration } from '../dag/duration';

/** The connection used when DATABASE_URL is unset. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const duration = z.string().transform((v, ctx) => {
  const ms = parseDuration(/^\d+$/.test(v) ? Number(v) : v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'expected a duration such as "30s" or milliseconds' });
    return z.NEVER;
  }
  return ms;
});

const positiveDuration = duration.refine((ms) => ms > 0, { message: 'must be longer than 0' });
const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
const byteSize = z.string().transform((v, ctx) => {
  const m = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(v.trim());
  const bytes = m ? Number(m[1]) * (BYTE_UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1) : 0;
  if (!m || bytes < 1) {
    ctx.addIssue({ code: 'custom', message: 'expected a size such as "64mb", "512kb" or a number of bytes' });
    return z.NEVER;
  }
  return bytes;
});
const redisUrl = z.string().refine((v) => /^rediss?:\/\/./.test(v), {
  message: 'expected a redis:// or rediss:// URL',
});

const postgresUrl = z.string().refine((v) => /^postgres(ql)?:\/\/./.test(v), {
  message: 'expected a postgres:// or postgresql:// connection URL',
});
const schemaName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, {
  message: 'expected a schema name: letters, digits and underscores, starting with a letter or underscore',
});

const EnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  PIPEWRIGHT_TASK_QUEUE: z.string().min(1).default('pipewright'),
  TEMPORAL_TLS: bool.default('false'),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  PIPEWRIGHT_NODE_MODULES: list.default(''),
  PIPEWRIGHT_SHUTDOWN_GRACE: duration.default('30s'),
  PIPEWRIGHT_HEARTBEAT_THROTTLE: duration.default('1s'),
  PIPEWRIGHT_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(100),
  PIPEWRIGHT_TEMPORAL_BIN: z.string().default('.tools/bin/temporal'),
  PIPEWRIGHT_UI_BASE: z.string().optional(),
  PIPEWRIGHT_METRICS_HOST: z.string().min(1).default('0.0.0.0'),
  PIPEWRIGHT_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  PIPEWRIGHT_SDK_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  PIPEWRIGHT_LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  DATABASE_URL: postgresUrl.default(DEFAULT_DATABASE_URL),
  PIPEWRIGHT_DB_SCHEMA: schemaName.default('pipewright'),
  PIPEWRIGHT_STAGING_SCHEMA: schemaName.default('pipewright_staging'),
  PIPEWRIGHT_DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  PIPEWRIGHT_STAGING_SWEEP_INTERVAL: duration.default('10m'),
  REDIS_URL: redisUrl.default(DEFAULT_REDIS_URL),
  PIPEWRIGHT_CACHE_L2: bool.default('true'),
  PIPEWRIGHT_CACHE_PREFIX: CachePrefixSchema.default('pipewright'),
  PIPEWRIGHT_CACHE_TTL: positiveDuration.default('5m'),
  PIPEWRIGHT_CACHE_JITTER: z.coerce.number().min(0).max(1).default(0.1),
  PIPEWRIGHT_CACHE_L1_MAX_ENTRIES: z.coerce.number().int().min(0).default(100_000),
  PIPEWRIGHT_CACHE_L1_MAX_BYTES: byteSize.default('64mb'),
  PIPEWRIGHT_CACHE_REDIS_TIMEOUT: positiveDuration.default('500ms'),
  PIPEWRIGHT_MEMO_GRACE: duration.default('1h'),
});

/** `PIPEWRIGHT_CACHE_TTL_<NAMESPACE>`: the TTL of one cache namespace (`LOOKUP`, `DEFINITIONS`, `MEMO`, ...). */
const NAMESPACE_TTL = /^PIPEWRIGHT_CACHE_TTL_([A-Za-z][A-Za-z0-9_]*)$/;

/** `DATABASE_URL_<NAME>` names another connection a node can use with `connection: <name>` (lower case). */
const NAMED_CONNECTION = /^DATABASE_URL_([A-Za-z][A-Za-z0-9_]*)$/;

export interface TemporalConfig {
  readonly address: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly tls?: {
    readonly caPath?: string;
    readonly certPath?: string;
    readonly keyPath?: string;
    readonly serverName?: string;
  };
  readonly apiKey?: string;
}

export interface DbConfig {
  /** The default connection (`DATABASE_URL`). */
  readonly url: string;
  /** Other connections by name (`DATABASE_URL_<NAME>`, name in lower case), for a node's `connection`. */
  readonly connections: Readonly<Record<string, string>>;
  /** Schema of pipewright's own tables (ledger, rejects, staging registry). */
  readonly projectSchema: string;
  /** Schema of the UNLOGGED staging tables that hold datasets between nodes. */
  readonly stagingSchema: string;
  readonly poolMax: number;
  /** How often the worker drops staging tables of runs that no longer exist; 0 turns the sweep off. */
  readonly sweepIntervalMs: number;
}

export interface CacheConfig extends CacheSettings {
  /** Where L2 and the invalidation broadcasts live (`REDIS_URL`); undefined when `PIPEWRIGHT_CACHE_L2` is false. */
  readonly redisUrl?: string;
  /** A memoized node's output table is dropped this long after its entry expired (runs may still read it). */
  readonly memoGraceMs: number;
}

export interface Config {
  readonly temporal: TemporalConfig;
  /** Whether TEMPORAL_ADDRESS was set: when it was not, `demo` starts its own dev server. */
  readonly temporalAddressSet: boolean;
  readonly nodeModules: readonly string[];
  readonly shutdownGraceMs: number;
  /** Longest gap between heartbeats sent to Temporal; bounds how late a node learns it was cancelled. */
  readonly heartbeatThrottleMs: number;
  readonly maxConcurrentActivities: number;
  readonly temporalBin: string;
  /** Web UI base URL for links, e.g. http://127.0.0.1:8233. */
  readonly uiBase?: string;
  /** The worker's /metrics, /healthz and /readyz; port 0 picks a free port. */
  readonly metrics: { readonly host: string; readonly port: number; readonly sdkPort: number };
  readonly logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly db: DbConfig;
  /** Redis (`REDIS_URL`): the cache's L2 and invalidation broadcasts. */
  readonly redisUrl: string;
  readonly cache: CacheConfig;
}

/** Thrown when an environment variable has a value the worker cannot use. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = parsed.data;
  const tlsWanted = e.TEMPORAL_TLS || Boolean(e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_CA) || Boolean(e.TEMPORAL_API_KEY);
  if (Boolean(e.TEMPORAL_TLS_CERT) !== Boolean(e.TEMPORAL_TLS_KEY))
    throw new ConfigError(['TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together for mTLS: set both or neither']);
  const connections: Record<string, string> = {};
  const badUrls: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    const m = NAMED_CONNECTION.exec(key);
    if (!m || value === undefined) continue;
    if (postgresUrl.safeParse(value).success) connections[(m[1] as string).toLowerCase()] = value;
    else badUrls.push(`${key}: expected a postgres:// or postgresql:// connection URL`);
  }
  if (badUrls.length > 0) throw new ConfigError(badUrls);
  const namespaces: Record<string, { ttlMs: number }> = {};
  const badTtls: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    const m = NAMESPACE_TTL.exec(key);
    if (!m || value === undefined) continue;
    const ttl = positiveDuration.safeParse(value);
    if (ttl.success) namespaces[(m[1] as string).toLowerCase()] = { ttlMs: ttl.data };
    else badTtls.push(`${key}: ${ttl.error.issues[0]?.message ?? 'expected a duration'}`);
  }
  if (badTtls.length > 0) throw new ConfigError(badTtls);
  return Object.freeze({
    temporal: Object.freeze({
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.PIPEWRIGHT_TASK_QUEUE,
      tls: tlsWanted
        ? {
            caPath: e.TEMPORAL_TLS_CA,
            certPath: e.TEMPORAL_TLS_CERT,
            keyPath: e.TEMPORAL_TLS_KEY,
            serverName: e.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
      apiKey: e.TEMPORAL_API_KEY,
    }),
    temporalAddressSet: env.TEMPORAL_ADDRESS !== undefined && env.TEMPORAL_ADDRESS !== '',
    nodeModules: e.PIPEWRIGHT_NODE_MODULES,
    shutdownGraceMs: e.PIPEWRIGHT_SHUTDOWN_GRACE,
    heartbeatThrottleMs: e.PIPEWRIGHT_HEARTBEAT_THROTTLE,
    maxConcurrentActivities: e.PIPEWRIGHT_MAX_CONCURRENT_ACTIVITIES,
    temporalBin: e.PIPEWRIGHT_TEMPORAL_BIN,
    uiBase: e.PIPEWRIGHT_UI_BASE,
    metrics: Object.freeze({
      host: e.PIPEWRIGHT_METRICS_HOST,
      port: e.PIPEWRIGHT_METRICS_PORT,
      sdkPort: e.PIPEWRIGHT_SDK_METRICS_PORT,
    }),
    logLevel: e.PIPEWRIGHT_LOG_LEVEL,
    db: Object.freeze({
      url: e.DATABASE_URL,
      connections: Object.freeze(connections),
      projectSchema: e.PIPEWRIGHT_DB_SCHEMA,
      stagingSchema: e.PIPEWRIGHT_STAGING_SCHEMA,
      poolMax: e.PIPEWRIGHT_DB_POOL_MAX,
      sweepIntervalMs: e.PIPEWRIGHT_STAGING_SWEEP_INTERVAL,
    }),
    redisUrl: e.REDIS_URL,
    cache: Object.freeze({
      redisUrl: e.PIPEWRIGHT_CACHE_L2 ? e.REDIS_URL : undefined,
      prefix: e.PIPEWRIGHT_CACHE_PREFIX,
      defaults: Object.freeze({
        ttlMs: e.PIPEWRIGHT_CACHE_TTL,
        jitter: e.PIPEWRIGHT_CACHE_JITTER,
        l1MaxEntries: e.PIPEWRIGHT_CACHE_L1_MAX_ENTRIES,
        l1MaxBytes: e.PIPEWRIGHT_CACHE_L1_MAX_BYTES,
      }),
      namespaces: Object.freeze(namespaces),
      commandTimeoutMs: e.PIPEWRIGHT_CACHE_REDIS_TIMEOUT,
      connectTimeoutMs: 2_000,
      memoGraceMs: e.PIPEWRIGHT_MEMO_GRACE,
    }),
  });
}
