/**
 * The worker's data side: the pools and schemas data nodes share, migrations applied at start (a warning, not a
 * crash, when Postgres is away: nodes retry until it returns), the two-level cache (a warning, not a crash, when
 * Redis is away: L1 only until it answers), and the periodic sweep of staging and expired memoized outputs.
 */
import { Client, Connection } from '@temporalio/client';
import { createCache, type CallGuard } from '../src/cache';
import { sweepMemo } from '../src/cache/memo/memo-store';
import type { Config } from '../src/config/config';
import { temporalConnectionOptions } from '../src/config/temporal-connection';
import { redactUrl } from '../src/db/redact';
import { runLiveness } from '../src/data/run-liveness';
import type { DataServices } from '../src/data/services';
import { createDataServices } from '../src/data/services';
import { sweepStaging } from '../src/data/staging';

export interface DataPlane {
  readonly data: DataServices;
  readonly connectionNames: readonly string[];
  stop(): Promise<void>;
}

export interface DataPlaneOptions {
  /** Wraps every Redis call of the cache (the Redis circuit breaker); default none. */
  readonly cacheGuard?: CallGuard;
}

export async function startDataPlane(
  config: Config,
  log: (line: string) => void,
  options: DataPlaneOptions = {},
): Promise<DataPlane> {
  const cache = createCache({
    ...config.cache,
    guard: options.cacheGuard,
    log: { warn: log, info: log },
  });
  // Not reachable is one warning (logged by the cache); it keeps reconnecting and uses L2 once Redis answers.
  if (config.cache.redisUrl) await cache.connect();
  const data = createDataServices({
    cache,
    url: config.db.url,
    connections: config.db.connections,
    projectSchema: config.db.projectSchema,
    stagingSchema: config.db.stagingSchema,
    poolMax: config.db.poolMax,
  });
  try {
    await data.ready(data.pool());
  } catch (err) {
    log(
      `warning: Postgres at ${redactUrl(config.db.url)} is not ready (${(err as Error).message}); ` +
        'data nodes will retry until it is',
    );
  }
  let client: Client | undefined;
  let connection: Connection | undefined;
  const sweep = async (): Promise<void> => {
    try {
      const pool = data.pool();
      await data.ready(pool);
      const memo = await sweepMemo(pool, data.projectSchema, { graceMs: config.cache.memoGraceMs });
      if (memo.entries > 0)
        log(`memo sweep: removed ${memo.entries} expired memoized outputs (${memo.tables} tables dropped)`);
    } catch (err) {
      log(`warning: memo sweep failed (${(err as Error).message}); it runs again later`);
    }
    try {
      connection ??= await Connection.connect(temporalConnectionOptions(config.temporal));
      client ??= new Client({ connection, namespace: config.temporal.namespace });
      const pool = data.pool();
      await data.ready(pool);
      const result = await sweepStaging(pool, data.projectSchema, { isRunOpen: runLiveness(client) });
      if (result.dropped > 0) log(`staging sweep: dropped ${result.dropped} tables of ended runs`);
    } catch (err) {
      log(`warning: staging sweep failed (${(err as Error).message}); it runs again later`);
    }
  };
  const interval = config.db.sweepIntervalMs;
  const timer = interval > 0 ? setInterval(() => void sweep(), interval) : undefined;
  timer?.unref();
  return {
    data,
    connectionNames: Object.keys(config.db.connections),
    async stop() {
      if (timer) clearInterval(timer);
      await connection?.close();
      await data.close();
      await cache.close();
    },
  };
}
