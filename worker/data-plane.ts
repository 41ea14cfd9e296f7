/**
 * The worker's data side: the pools and schemas data nodes share, the circuit breakers in front of every external
 * resource (shared with the other workers through Redis), migrations applied at start (a warning, not a crash, when
 * Postgres is away: nodes retry until it returns), the two-level cache (a warning, not a crash, when Redis is away:
 * L1 only until it answers; its Redis calls go through the Redis breaker), and the periodic sweep of staging,
 * expired memoized outputs, and the ledger and rejects past their retention.
 */
import { Client, Connection } from '@temporalio/client';
import { Runtime } from '@temporalio/worker';
import { createCache } from '../src/platform/cache';
import { redisResource } from '../src/platform/resilience/resources';
import { sweepMemo } from '../src/data/memo/memo-store';
import { encryptionDataConverter } from '../src/platform/codec/data-converter';
import { createPgMetricsObserver } from '../src/platform/metrics/pg-metrics';
import type { Config } from '../src/platform/config/config';
import type { PipewrightMetrics } from '../src/platform/metrics/metrics';
import { startBreakerBroadcast } from '../src/platform/resilience/breaker-broadcast';
import type { BreakerLogger, Breakers } from '../src/platform/resilience/breakers';
import { createBreakers } from '../src/platform/resilience/breakers';
import { temporalConnectionOptions } from '../src/platform/config/temporal-connection';
import { redactUrl } from '../src/platform/db/redact';
import { runLiveness } from '../src/data/run-liveness';
import type { DataServices } from '../src/data/services';
import { createDataServices } from '../src/data/services';
import { sweepStaging } from '../src/data/tables/staging';
import { sweepRetention } from '../src/data/retention';
import { pgSslOptions } from '../src/platform/security/pg-ssl';
import { redisTlsOptions } from '../src/platform/security/redis-tls';

export interface DataPlane {
  readonly data: DataServices;
  readonly breakers: Breakers;
  readonly connectionNames: readonly string[];
  stop(): Promise<void>;
}

/** `metrics` get the breakers' states and every Postgres statement's and COPY's duration. */
export async function startDataPlane(
  config: Config,
  log: (line: string) => void,
  metrics?: PipewrightMetrics,
): Promise<DataPlane> {
  const breakerLog = runtimeLogger();
  // Read (and checked) once: the breaker news and the cache talk to the same Redis.
  const redisTls = redisTlsOptions(config.redisTls);
  const breakers = createBreakers({
    defaults: config.breakers.defaults,
    resources: config.breakers.resources,
    metrics,
    log: breakerLog,
  });
  if (config.breakers.share)
    startBreakerBroadcast({
      url: config.redis.url,
      tls: redisTls,
      channel: config.breakers.channel,
      breakers,
      log: breakerLog,
    });
  const observer = metrics ? createPgMetricsObserver(metrics) : undefined;
  // The cache's Redis calls go through the Redis breaker, as the breaker news does.
  const redisBreaker = breakers.get(redisResource(config.redis.url));
  const cache = createCache({
    ...config.cache,
    tls: redisTls,
    // The cache's own command timeout (PIPEWRIGHT_CACHE_REDIS_TIMEOUT) bounds each call; the breaker counts them.
    guard: (call) => redisBreaker.call(() => call(), { timeoutMs: false }),
    log: { warn: log, info: log },
  });
  // Not reachable is one warning (logged by the cache); it keeps reconnecting and uses L2 once Redis answers.
  if (config.cache.redisUrl) await cache.connect();
  const data = createDataServices({
    observer,
    cache,
    url: config.db.url,
    connections: config.db.connections,
    projectSchema: config.db.projectSchema,
    stagingSchema: config.db.stagingSchema,
    poolMax: config.db.poolMax,
    ssl: pgSslOptions(config.pgSsl),
    breakers,
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
      client ??= new Client({
        connection,
        namespace: config.temporal.namespace,
        dataConverter: encryptionDataConverter(config.codecKeys),
      });
      const pool = data.pool();
      await data.ready(pool);
      const result = await sweepStaging(pool, data.projectSchema, { isRunOpen: runLiveness(client) });
      if (result.dropped > 0) log(`staging sweep: dropped ${result.dropped} tables of ended runs`);
    } catch (err) {
      log(`warning: staging sweep failed (${(err as Error).message}); it runs again later`);
    }
    if (!client) return;
    try {
      const pool = data.pool();
      const { ledger, rejects, plans } = await sweepRetention(pool, data.projectSchema, {
        ledgerRetentionMs: config.db.ledgerRetentionMs,
        rejectsRetentionMs: config.db.rejectsRetentionMs,
        isRunOpen: runLiveness(client),
      });
      if (ledger.rows + rejects.rows + plans.rows > 0)
        log(
          `retention sweep: deleted ${ledger.rows} ledger rows of ${ledger.runs} runs, ${plans.rows} partition ` +
            `plan rows of ${plans.runs} runs and ${rejects.rows} rejects of ${rejects.runs} runs`,
        );
    } catch (err) {
      log(`warning: retention sweep failed (${(err as Error).message}); it runs again later`);
    }
  };
  const interval = config.db.sweepIntervalMs;
  const timer = interval > 0 ? setInterval(() => void sweep(), interval) : undefined;
  timer?.unref();
  return {
    data,
    breakers,
    connectionNames: Object.keys(config.db.connections),
    async stop() {
      if (timer) clearInterval(timer);
      await connection?.close();
      await data.close();
      await cache.close();
      await breakers.close();
    },
  };
}

/** Breaker state changes go to the worker's log (the Temporal runtime's logger, at PIPEWRIGHT_LOG_LEVEL). */
function runtimeLogger(): BreakerLogger {
  const logger = Runtime.instance().logger;
  return {
    info: (message, attrs) => logger.info(message, attrs),
    warn: (message, attrs) => logger.warn(message, attrs),
  };
}
