/**
 * What data nodes need from the worker process: one pool per connection, the project and staging schemas,
 * migrations applied once per database, and the map and filter functions the worker registers.
 */
import type pg from 'pg';
import { createCache, type TwoLevelCache } from '../cache';
import { quoteIdent } from '../db/identifiers';
import { migrate } from '../db/migrate';
import { createPoolRegistry, type PoolRegistry } from '../db/pools';
import { UnknownConnectionError } from './errors';
import type { FunctionRegistry } from './functions';
import { createFunctionRegistry } from './functions';

export interface DataServicesOptions {
  /** The default connection (DATABASE_URL). */
  readonly url: string;
  /** Named connections, `connection: <name>` in a node. */
  readonly connections?: Readonly<Record<string, string>>;
  readonly projectSchema?: string;
  readonly stagingSchema?: string;
  readonly poolMax?: number;
  readonly functions?: FunctionRegistry;
  /** The worker's two-level cache (lookups, definitions, memoized nodes); default an in-process one, closed with these services. */
  readonly cache?: TwoLevelCache;
}

/** Shared by every activity of one worker process. */
export interface DataServices {
  readonly pools: PoolRegistry;
  readonly projectSchema: string;
  readonly stagingSchema: string;
  readonly functions: FunctionRegistry;
  /** The worker's two-level cache. */
  readonly cache: TwoLevelCache;
  /** The pool of a named connection, or of the default one. */
  pool(connection?: string): pg.Pool;
  /**
   * Resolves once the project tables (and the staging schema, on the default database) exist in the database
   * behind `pool`. Runs the migrations once per pool and process; a failure is retried on the next call.
   */
  ready(pool: pg.Pool): Promise<void>;
  close(): Promise<void>;
}

export function createDataServices(options: DataServicesOptions): DataServices {
  const pools = createPoolRegistry({ defaultUrl: options.url, max: options.poolMax ?? 10 });
  const connections = options.connections ?? {};
  const projectSchema = options.projectSchema ?? 'pipewright';
  const stagingSchema = options.stagingSchema ?? 'pipewright_staging';
  const migrated = new Map<pg.Pool, Promise<void>>();
  const cache = options.cache ?? createCache();
  const services: DataServices = {
    pools,
    projectSchema,
    stagingSchema,
    functions: options.functions ?? createFunctionRegistry(),
    cache,
    pool(connection) {
      if (connection === undefined) return pools.getPool();
      const url = connections[connection.toLowerCase()];
      if (url === undefined) throw new UnknownConnectionError(connection, Object.keys(connections));
      return pools.getPool(url);
    },
    ready(pool) {
      let done = migrated.get(pool);
      if (!done) {
        done = (async () => {
          await migrate(pool, { schema: projectSchema });
          if (pool === pools.getPool())
            await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(stagingSchema, 'schema')}`);
        })();
        migrated.set(pool, done);
        done.catch(() => migrated.delete(pool));
      }
      return done;
    },
    async close() {
      await pools.closeAll();
      // A cache passed in belongs to the caller.
      if (!options.cache) await cache.close();
    },
  };
  return services;
}
