/**
 * The definitions registry from the CLI: Postgres from `DATABASE_URL` (schema `PIPEWRIGHT_DB_SCHEMA`) and, for
 * `publish`, the cache's Redis so that workers hear the invalidation. Opened per command and closed after it.
 */
import { createCache, type TwoLevelCache } from '../platform/cache';
import type { Config } from '../platform/config/config';
import { migrate } from '../platform/db/migrate';
import { redisTlsOptions } from '../platform/security/redis-tls';
import { createDefinitionRegistry, type DefinitionRegistry } from '../platform/registry';
import type { CliIo } from './context';
import { cliPools } from './pools';

export interface RegistryOptions {
  /** Apply the migrations first (publish creates the table on a fresh database). */
  readonly migrate?: boolean;
  /** Connect to Redis, so that a publish reaches the workers' caches. */
  readonly broadcast?: boolean;
}

export async function withRegistry<T>(
  config: Config,
  io: CliIo,
  options: RegistryOptions,
  fn: (registry: DefinitionRegistry) => Promise<T>,
): Promise<T> {
  const pools = cliPools(config, 2);
  let cache: TwoLevelCache | undefined;
  try {
    const pool = pools.getPool();
    if (options.migrate) await migrate(pool, { schema: config.db.projectSchema });
    if (options.broadcast && config.cache.redisUrl) {
      cache = createCache({
        ...config.cache,
        tls: redisTlsOptions(config.redisTls),
        log: {
          warn: (m) => io.err(`${m}; workers drop their cached copies of the name when their cache TTL ends instead`),
          info: () => undefined,
        },
      });
      await cache.connect();
    }
    return await fn(createDefinitionRegistry({ pool, schema: config.db.projectSchema, cache }));
  } finally {
    await cache?.close();
    await pools.closeAll();
  }
}
