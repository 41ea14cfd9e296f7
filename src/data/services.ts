/**
 * What data nodes need from the worker process: one pool per connection, the project and staging schemas,
 * migrations applied once per database, and the map and filter functions the worker registers.
 */
import type { ConnectionOptions } from 'node:tls';
import type pg from 'pg';
import { createCache, type TwoLevelCache } from '../platform/cache';
import { quoteIdent } from '../model/identifiers';
import { migrate } from '../platform/db/migrate';
import type { PgObserver } from '../platform/db/pg-observer';
import { createPools, type Pools } from '../platform/db/pools';
import type { ResponseCache } from '../platform/http/response-cache';
import type { ResourceBreaker } from '../platform/resilience/breaker';
import { createBreakers, type Breakers } from '../platform/resilience/breakers';
import { guardPool, rawPool } from '../platform/resilience/guarded-pool';
import { postgresResource } from '../platform/resilience/resources';
import type { BreakerOverrides } from '../model/breaker-settings';
import { UnknownConnectionError } from './errors';
import type { WorkerFunctions } from './functions';
import { createWorkerFunctions } from './functions';

export interface DataServicesOptions {
  /** The default connection (DATABASE_URL). */
  readonly url: string;
  /** Named connections, `connection: <name>` in a node. */
  readonly connections?: Readonly<Record<string, string>>;
  readonly projectSchema?: string;
  readonly stagingSchema?: string;
  readonly poolMax?: number;
  readonly functions?: WorkerFunctions;
  /** TLS of every pool (`pgSslOptions(config.pgSsl)`); `sslmode` in a URL still wins for that URL. */
  readonly ssl?: ConnectionOptions | false;
  /** Told the duration of every statement and COPY (the worker feeds its metrics from it). */
  readonly observer?: PgObserver;
  /**
   * The worker's circuit breakers, one per resource; every pool's connections and short queries go through its
   * server's breaker. A registry of its own (local only, default settings) when omitted, closed with the services.
   */
  readonly breakers?: Breakers;
  /** Where `source.http` may cache responses (nodes opt in with `cache`). */
  readonly responseCache?: ResponseCache;
  /**
   * The worker's two-level cache (lookups, definitions, memoized nodes); default an in-process one, closed with
   * these services.
   */
  readonly cache?: TwoLevelCache;
}

/** Shared by every activity of one worker process. */
export interface DataServices {
  readonly pools: Pools;
  readonly projectSchema: string;
  readonly stagingSchema: string;
  readonly functions: WorkerFunctions;
  readonly responseCache?: ResponseCache;
  /** The worker's two-level cache. */
  readonly cache: TwoLevelCache;
  /** The pool of a named connection, or of the default one, guarded by its server's breaker. */
  pool(connection?: string): pg.Pool;
  /** The breaker of a resource (an HTTP origin, ...), with this view's node overrides applied. */
  breaker(resource: string): ResourceBreaker;
  /** The same services with a node's own breaker settings (`breaker:` in the definition). */
  withBreakerOverrides(overrides: BreakerOverrides | undefined): DataServices;
  /**
   * Resolves once the project tables (and the staging schema, on the default database) exist in the database
   * behind `pool`. Runs the migrations once per pool and process; a failure is retried on the next call.
   */
  ready(pool: pg.Pool): Promise<void>;
  close(): Promise<void>;
}

export function createDataServices(options: DataServicesOptions): DataServices {
  const ownsBreakers = options.breakers === undefined;
  const breakers = options.breakers ?? createBreakers();
  const connections = options.connections ?? {};
  const pools = createPools({
    defaultUrl: options.url,
    max: options.poolMax ?? 10,
    ...(options.ssl !== undefined ? { poolConfig: { ssl: options.ssl } } : {}),
    observer: options.observer,
    connectionName: (url) =>
      url === options.url ? 'default' : (Object.keys(connections).find((n) => connections[n] === url) ?? 'other'),
    connectTimeoutMs: (url) => breakers.settingsFor(postgresResource(url)).timeoutMs,
  });
  const functions = options.functions ?? createWorkerFunctions();
  const projectSchema = options.projectSchema ?? 'pipewright';
  const stagingSchema = options.stagingSchema ?? 'pipewright_staging';
  const migrated = new Map<pg.Pool, Promise<void>>();
  const cache = options.cache ?? createCache();
  const urlOf = (connection: string | undefined): string => {
    if (connection === undefined) return pools.defaultUrl;
    const url = connections[connection.toLowerCase()];
    if (url === undefined) throw new UnknownConnectionError(connection, Object.keys(connections));
    return url;
  };
  const servicesWith = (overrides: BreakerOverrides | undefined): DataServices => ({
    pools,
    projectSchema,
    stagingSchema,
    functions,
    responseCache: options.responseCache,
    cache,
    pool(connection) {
      const url = urlOf(connection);
      return guardPool(pools.getPool(url), breakers.get(postgresResource(url), overrides));
    },
    breaker: (resource) => breakers.get(resource, overrides),
    withBreakerOverrides: (o) => (o === undefined || Object.keys(o).length === 0 ? services : servicesWith(o)),
    ready(guarded) {
      const pool = rawPool(guarded);
      let done = migrated.get(pool);
      if (!done) {
        done = (async () => {
          // Through the breaker: migrations are the first thing a node asks of a database.
          await migrate(guarded, { schema: projectSchema });
          if (pool === pools.getPool())
            await guarded.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(stagingSchema, 'schema')}`);
        })();
        migrated.set(pool, done);
        done.catch(() => migrated.delete(pool));
      }
      return done;
    },
    async close() {
      await pools.closeAll();
      if (ownsBreakers) await breakers.close();
      // A cache passed in belongs to the caller.
      if (!options.cache) await cache.close();
    },
  });
  const services = servicesWith(undefined);
  return services;
}
