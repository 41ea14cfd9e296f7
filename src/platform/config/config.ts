/**
 * Configuration, read once from the environment and frozen. Nothing else reads `process.env`.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { CachePrefixSchema, DEFAULT_REDIS_URL, type CacheSettings } from '../cache/settings';
import { parseDuration } from '../../model/duration';
import { Secret } from '../security/secret';
import type { DeploymentConfig } from './deployment-settings';
import { DEPLOYMENT_SETTINGS, buildDeploymentConfig } from './deployment-settings';
import { ConfigError } from '../errors';
import { DEFAULT_DATABASE_URL } from '../db/pools';
import { NAMED_CONNECTION, NOTIFY_WEBHOOK, mayComeFromFile, resolveSecretFiles } from './secret-files';
import type { SecurityConfig } from './security-settings';
import { SECURITY_SETTINGS, buildSecurityConfig, tlsFileProblems } from './security-settings';
import { bool, list } from './setting-types';

import type { BreakerConfig } from './breakers';
import { BREAKER_ENV, BREAKER_OVERRIDES_ENV, parseBreakerConfig } from './breakers';

export { ConfigError, DEFAULT_REDIS_URL };

export { DEFAULT_DATABASE_URL };

/** The settings that name Temporal's TLS files. */
export const TEMPORAL_TLS_SETTINGS = {
  ca: 'TEMPORAL_TLS_CA',
  cert: 'TEMPORAL_TLS_CERT',
  key: 'TEMPORAL_TLS_KEY',
} as const;

const duration = z.string().transform((v, ctx) => {
  const ms = parseDuration(/^\d+$/.test(v) ? Number(v) : v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'expected a duration such as "30s" or milliseconds' });
    return z.NEVER;
  }
  return ms;
});

const SSL_FILE_PARAMS = ['sslrootcert', 'sslcert', 'sslkey'];
const LIBPQ_SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

/** What is wrong with a Postgres connection URL, without repeating the URL (it may hold a password). */
function postgresUrlProblem(value: string): string | undefined {
  if (!/^postgres(ql)?:\/\/./.test(value)) return 'expected a postgres:// or postgresql:// connection URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a valid URL (percent-encode special characters in the user name and password)';
  }
  const mode = url.searchParams.get('sslmode');
  if (mode !== null && !LIBPQ_SSL_MODES.includes(mode))
    return `sslmode "${mode}" is not one of ${LIBPQ_SSL_MODES.join(', ')}`;
  for (const param of SSL_FILE_PARAMS) {
    const file = url.searchParams.get(param);
    if (file === null) continue;
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch (err) {
      return `${param} file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`;
    }
  }
  return undefined;
}

const postgresUrl = z.string().superRefine((v, ctx) => {
  const problem = postgresUrlProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const redisUrl = z.string().refine((v) => /^rediss?:\/\/./.test(v), {
  message: 'expected a redis:// or rediss:// URL',
});
const positiveDuration = duration.refine((ms) => ms > 0, { message: 'must be longer than 0' });
/** A retention: a duration longer than 0, or `off` (undefined: kept for ever). */
const retention = z.string().transform((v, ctx) => {
  if (v.trim().toLowerCase() === 'off') return undefined;
  const ms = parseDuration(/^\d+$/.test(v) ? Number(v) : v);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: 'expected a duration longer than 0 such as "30d", or "off"' });
    return z.NEVER;
  }
  return ms;
});
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
const schemaName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, {
  message: 'expected a schema name: letters, digits and underscores, starting with a letter or underscore',
});

/**
 * Every setting the process reads, with its parsing and default. Deployment files are checked against it (a
 * variable they set that is not here would be ignored).
 */
export const SETTINGS_SCHEMA = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  PIPEWRIGHT_TASK_QUEUE: z.string().min(1).default('pipewright'),
  PIPEWRIGHT_TASK_QUEUES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((q) => q.trim())
        .filter((q) => q !== ''),
    )
    .refine((qs) => qs.every((q) => /^\S{1,200}$/.test(q)), 'a comma-separated list of task queue names'),
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
  PIPEWRIGHT_WORKER_TUNER: z.enum(['fixed', 'resource']).default('fixed'),
  PIPEWRIGHT_TUNER_TARGET_MEMORY: z.coerce.number().gt(0).max(1).default(0.8),
  PIPEWRIGHT_TUNER_TARGET_CPU: z.coerce.number().gt(0).max(1).default(0.9),
  PIPEWRIGHT_TUNER_MIN_ACTIVITIES: z.coerce.number().int().positive().default(1),
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
  PIPEWRIGHT_LEDGER_RETENTION: retention.default('90d'),
  PIPEWRIGHT_REJECTS_RETENTION: retention.default('30d'),
  REDIS_URL: redisUrl.default(DEFAULT_REDIS_URL),
  // The PIPEWRIGHT_BREAKER_* settings themselves are checked by parseBreakerConfig.
  PIPEWRIGHT_BREAKER_SHARE: bool.default('true'),
  PIPEWRIGHT_BREAKER_CHANNEL: z.string().min(1).default('pipewright:breakers'),
  PIPEWRIGHT_CACHE_L2: bool.default('true'),
  PIPEWRIGHT_CACHE_PREFIX: CachePrefixSchema.default('pipewright'),
  PIPEWRIGHT_CACHE_TTL: positiveDuration.default('5m'),
  PIPEWRIGHT_CACHE_JITTER: z.coerce.number().min(0).max(1).default(0.1),
  PIPEWRIGHT_CACHE_L1_MAX_ENTRIES: z.coerce.number().int().min(0).default(100_000),
  PIPEWRIGHT_CACHE_L1_MAX_BYTES: byteSize.default('64mb'),
  PIPEWRIGHT_CACHE_REDIS_TIMEOUT: positiveDuration.default('500ms'),
  PIPEWRIGHT_MEMO_GRACE: duration.default('1h'),
  ...SECURITY_SETTINGS,
  ...DEPLOYMENT_SETTINGS,
});

/** `PIPEWRIGHT_CACHE_TTL_<NAMESPACE>`: the TTL of one cache namespace (`LOOKUP`, `DEFINITIONS`, `MEMO`, ...). */
const NAMESPACE_TTL = /^PIPEWRIGHT_CACHE_TTL_([A-Za-z][A-Za-z0-9_]*)$/;

/**
 * Whether the process reads an environment variable of this name: a setting of {@link SETTINGS_SCHEMA}, a named
 * connection `DATABASE_URL_<NAME>`, a breaker setting, a cache namespace's TTL, or the `_FILE` variant of a secret
 * (`TEMPORAL_API_KEY_FILE`, ...).
 */
export function isKnownSetting(name: string): boolean {
  if (name in SETTINGS_SCHEMA.shape || NAMED_CONNECTION.test(name) || NOTIFY_WEBHOOK.test(name)) return true;
  if (name === BREAKER_OVERRIDES_ENV || (Object.values(BREAKER_ENV) as string[]).includes(name)) return true;
  if (NAMESPACE_TTL.test(name)) return true;
  return name.endsWith('_FILE') && mayComeFromFile(name.slice(0, -'_FILE'.length));
}

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
  /** Temporal Cloud API key (TEMPORAL_API_KEY or TEMPORAL_API_KEY_FILE); prints as `***`. */
  readonly apiKey?: Secret;
}

export interface DbConfig {
  /** The default connection (`DATABASE_URL`). */
  readonly url: string;
  /** Other connections by name (`DATABASE_URL_<NAME>`, name in lower case), for a node's `connection`. */
  readonly connections: Readonly<Record<string, string>>;
  /** Schema of pipewright's own tables (ledger, rejects, list of staging tables). */
  readonly projectSchema: string;
  /** Schema of the UNLOGGED staging tables that hold datasets between nodes. */
  readonly stagingSchema: string;
  readonly poolMax: number;
  /** How often the worker drops staging tables of runs that no longer exist; 0 turns the sweep off. */
  readonly sweepIntervalMs: number;
  /** The sweep deletes the ledger of closed runs older than this; undefined (`off`) keeps it. */
  readonly ledgerRetentionMs?: number;
  /** The sweep deletes rejects of closed runs older than this; undefined (`off`) keeps them. */
  readonly rejectsRetentionMs?: number;
}

export interface CacheConfig extends CacheSettings {
  /** Where L2 and the invalidation broadcasts live (`REDIS_URL`); undefined when `PIPEWRIGHT_CACHE_L2` is false. */
  readonly redisUrl?: string;
  /** A memoized node's output table is dropped this long after its entry expired (runs may still read it). */
  readonly memoGraceMs: number;
}

export type { BreakerConfig } from './breakers';

/**
 * How a worker admits node activities. `fixed`: up to `slots` at once. `resource`: Temporal's resource-based slot
 * supplier hands out a slot only while the machine's memory and CPU use are under their targets (fractions of the
 * whole), between `minimum` and `maximum` slots.
 */
export type ActivitySlots =
  | { readonly kind: 'fixed'; readonly slots: number }
  | {
      readonly kind: 'resource';
      readonly targetMemory: number;
      readonly targetCpu: number;
      readonly minimum: number;
      readonly maximum: number;
    };

export interface Config extends SecurityConfig {
  readonly temporal: TemporalConfig;
  /** Whether TEMPORAL_ADDRESS was set: when it was not, `demo` starts its own dev server. */
  readonly temporalAddressSet: boolean;
  readonly nodeModules: readonly string[];
  readonly shutdownGraceMs: number;
  /** Longest gap between heartbeats sent to Temporal; bounds how late a node learns it was cancelled. */
  readonly heartbeatThrottleMs: number;
  readonly maxConcurrentActivities: number;
  /** Task queues whose node activities this worker also runs (`PIPEWRIGHT_TASK_QUEUES`, without the main one). */
  readonly extraTaskQueues: readonly string[];
  /** How the worker admits node activities: a fixed number of slots, or by the machine's memory and CPU. */
  readonly activitySlots: ActivitySlots;
  readonly temporalBin: string;
  /** Web UI base URL for links, e.g. http://127.0.0.1:8233. */
  readonly uiBase?: string;
  /**
   * Webhook URLs of `notify`, by name in lower case (`PIPEWRIGHT_NOTIFY_WEBHOOK_<NAME>`); `''` is the default one
   * (`PIPEWRIGHT_NOTIFY_WEBHOOK`). Secrets: they may come from `..._FILE`.
   */
  readonly notifyWebhooks: Readonly<Record<string, string>>;
  /** The worker's /metrics, /healthz and /readyz; port 0 picks a free port. */
  readonly metrics: { readonly host: string; readonly port: number; readonly sdkPort: number };
  readonly logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly db: DbConfig;
  /** Prebuilt workflow bundle and Worker Versioning. */
  readonly deployment: DeploymentConfig;
  /** Redis: shared breaker state (and the cache). */
  readonly redis: { readonly url: string };
  /** Circuit breakers: defaults, per-resource overrides, sharing through Redis. */
  readonly breakers: BreakerConfig;
  /** The two-level cache (its L2 is Redis at `redis.url`). */
  readonly cache: CacheConfig;
}

/**
 * Reads the settings from `env` (secrets also from `<NAME>_FILE` files) and checks them, including that the TLS
 * files they name can be read and parsed. Throws {@link ConfigError} with one line per bad setting.
 */
export function loadConfig(rawEnv: NodeJS.ProcessEnv = process.env): Config {
  const { env, problems } = resolveSecretFiles(rawEnv);
  let parsed = SETTINGS_SCHEMA.safeParse(env);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    // Check the other settings too, so that one start reports every bad setting.
    const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
    parsed = SETTINGS_SCHEMA.safeParse(Object.fromEntries(Object.entries(env).filter(([k]) => !bad.has(k))));
    if (!parsed.success) throw new ConfigError(problems);
  }
  const e = parsed.data;
  const tlsWanted = e.TEMPORAL_TLS || Boolean(e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_CA) || Boolean(e.TEMPORAL_API_KEY);
  const temporalFiles = { caPath: e.TEMPORAL_TLS_CA, certPath: e.TEMPORAL_TLS_CERT, keyPath: e.TEMPORAL_TLS_KEY };
  problems.push(...tlsFileProblems(temporalFiles, TEMPORAL_TLS_SETTINGS));
  // Settings named by pattern: DATABASE_URL_<NAME> and PIPEWRIGHT_CACHE_TTL_<NAMESPACE>.
  const connections: Record<string, string> = {};
  const webhooks: Record<string, string> = {};
  const namespaces: Record<string, { ttlMs: number }> = {};
  const ttlProblems: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const connection = NAMED_CONNECTION.exec(key);
    if (connection) {
      const problem = postgresUrlProblem(value);
      if (problem) problems.push(`${key}: ${problem}`);
      else connections[(connection[1] as string).toLowerCase()] = value;
    }
    const webhook = NOTIFY_WEBHOOK.exec(key);
    if (webhook && !key.endsWith('_FILE')) {
      const problem = webhookUrlProblem(value);
      if (problem) problems.push(`${key}: ${problem}`);
      else webhooks[(webhook[1] ?? '').toLowerCase()] = value;
    }
    const namespace = NAMESPACE_TTL.exec(key);
    if (namespace) {
      const ttl = positiveDuration.safeParse(value);
      if (ttl.success) namespaces[(namespace[1] as string).toLowerCase()] = { ttlMs: ttl.data };
      else ttlProblems.push(`${key}: ${ttl.error.issues[0]?.message ?? 'expected a duration'}`);
    }
  }
  const security = buildSecurityConfig(e);
  const deployment = buildDeploymentConfig(e);
  const breakers = parseBreakerConfig({
    env,
    databaseUrl: e.DATABASE_URL,
    connections,
    redisUrl: e.REDIS_URL,
  });
  problems.push(...ttlProblems, ...security.problems, ...deployment.problems, ...breakers.problems);
  if (problems.length > 0 || !breakers.config) throw new ConfigError(problems);
  return Object.freeze({
    ...security.config,
    deployment: Object.freeze(deployment.config),
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
      apiKey: e.TEMPORAL_API_KEY ? new Secret(e.TEMPORAL_API_KEY) : undefined,
    }),
    temporalAddressSet: env.TEMPORAL_ADDRESS !== undefined && env.TEMPORAL_ADDRESS !== '',
    nodeModules: e.PIPEWRIGHT_NODE_MODULES,
    shutdownGraceMs: e.PIPEWRIGHT_SHUTDOWN_GRACE,
    heartbeatThrottleMs: e.PIPEWRIGHT_HEARTBEAT_THROTTLE,
    maxConcurrentActivities: e.PIPEWRIGHT_MAX_CONCURRENT_ACTIVITIES,
    extraTaskQueues: [...new Set(e.PIPEWRIGHT_TASK_QUEUES)].filter((q) => q !== e.PIPEWRIGHT_TASK_QUEUE),
    activitySlots:
      e.PIPEWRIGHT_WORKER_TUNER === 'resource'
        ? {
            kind: 'resource' as const,
            targetMemory: e.PIPEWRIGHT_TUNER_TARGET_MEMORY,
            targetCpu: e.PIPEWRIGHT_TUNER_TARGET_CPU,
            minimum: Math.min(e.PIPEWRIGHT_TUNER_MIN_ACTIVITIES, e.PIPEWRIGHT_MAX_CONCURRENT_ACTIVITIES),
            maximum: e.PIPEWRIGHT_MAX_CONCURRENT_ACTIVITIES,
          }
        : { kind: 'fixed' as const, slots: e.PIPEWRIGHT_MAX_CONCURRENT_ACTIVITIES },
    temporalBin: e.PIPEWRIGHT_TEMPORAL_BIN,
    uiBase: e.PIPEWRIGHT_UI_BASE,
    notifyWebhooks: Object.freeze(webhooks),
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
      ledgerRetentionMs: e.PIPEWRIGHT_LEDGER_RETENTION,
      rejectsRetentionMs: e.PIPEWRIGHT_REJECTS_RETENTION,
    }),
    redis: Object.freeze({ url: e.REDIS_URL }),
    breakers: Object.freeze({
      ...breakers.config,
      share: e.PIPEWRIGHT_BREAKER_SHARE,
      channel: e.PIPEWRIGHT_BREAKER_CHANNEL,
    }),
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

/** Why `value` is not a webhook URL (http or https), or undefined. The message never repeats the URL (a secret). */
function webhookUrlProblem(value: string): string | undefined {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : `expected an http(s) URL, got ${u.protocol}`;
  } catch {
    return 'expected an http(s) URL';
  }
}
