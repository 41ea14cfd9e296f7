/**
 * One `pg.Pool` per connection string per process, shared by every activity in the worker.
 */
import pg from 'pg';

import { observeClient } from './observe-client';
import type { PgObserver } from './pg-observer';

/** The machine's own Postgres, trust auth: the database when `DATABASE_URL` is unset. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Options for {@link createPools}. */
export interface PoolRegistryOptions {
  /** Connection string used by `getPool()` without an argument (from `DATABASE_URL` in the config). */
  readonly defaultUrl?: string;
  /** Maximum clients per pool. */
  readonly max?: number;
  /** Passed to every pool; e.g. an `application_name`. */
  readonly poolConfig?: Omit<pg.PoolConfig, 'connectionString' | 'max'>;
  /** Told the duration of every statement and COPY run on the pools' clients. */
  readonly observer?: PgObserver;
  /** The name a pool's queries are reported under (never the URL: it may hold a password); default `default`. */
  readonly connectionName?: (url: string) => string;
  /**
   * How long opening a new connection to `url` may take before it fails (the circuit breaker's timeout). Unlike
   * the pool's `connectionTimeoutMillis`, it does not limit waiting for a free pooled client.
   */
  readonly connectTimeoutMs?: (url: string) => number | undefined;
}

/** Pools keyed by connection string. Build one per process and close it at shutdown. */
export interface Pools {
  readonly defaultUrl: string;
  /** The pool for `url` (the default URL when omitted), created on first use. */
  getPool(url?: string): pg.Pool;
  /** Ends every pool; later `getPool` calls create fresh ones. */
  closeAll(): Promise<void>;
}

/** Creates a registry of pools, one per connection string. */
export function createPools(options: PoolRegistryOptions = {}): Pools {
  const defaultUrl = options.defaultUrl ?? DEFAULT_DATABASE_URL;
  const pools = new Map<string, pg.Pool>();
  return {
    defaultUrl,
    getPool(url = defaultUrl) {
      let pool = pools.get(url);
      if (!pool) {
        const timeoutMs = options.connectTimeoutMs?.(url);
        pool = new pg.Pool({
          application_name: 'pipewright',
          ...options.poolConfig,
          connectionString: url,
          max: options.max ?? 10,
          ...(timeoutMs ? { Client: timedClient(timeoutMs) } : {}),
        });
        // An idle client losing its connection emits on the pool; without a listener that kills the process.
        pool.on('error', () => undefined);
        // So does a checked-out client that loses it between two queries (a load waiting for its next chunk when
        // Postgres goes away): its next query fails instead ("not queryable"), and that error is handled.
        pool.on('connect', (client) => client.on('error', () => undefined));
        const { observer } = options;
        if (observer) {
          const name = options.connectionName?.(url) ?? 'default';
          // Emitted once per new client, before it is handed out: every query it ever runs is observed.
          pool.on('connect', (client) => observeClient(client, observer, name));
        }
        pools.set(url, pool);
      }
      return pool;
    },
    async closeAll() {
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((p) => p.end()));
    },
  };
}

/** A client class whose connection attempts give up after `timeoutMs` (pg's own per-client connect timeout). */
function timedClient(timeoutMs: number): typeof pg.Client {
  return class TimedClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super({
        ...(typeof config === 'string' ? { connectionString: config } : config),
        connectionTimeoutMillis: timeoutMs,
      });
    }
  };
}

/** Runs `fn` with a client checked out of `pool`, releasing it afterwards (destroying it if `fn` failed). */
export async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failed: unknown;
  try {
    return await fn(client);
  } catch (err) {
    failed = err;
    throw err;
  } finally {
    // A client whose query failed mid-protocol (e.g. an aborted COPY) is not safe to reuse.
    client.release(failed instanceof Error ? failed : undefined);
  }
}

/** Runs `fn` inside BEGIN/COMMIT on one client, rolling back if it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, (client) => inTransaction(client, fn));
}

/** Runs `fn` inside BEGIN/COMMIT on an already checked-out client, rolling back if it throws. */
export async function inTransaction<C extends pg.ClientBase, T>(client: C, fn: (client: C) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
