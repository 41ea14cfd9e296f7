/** Feeds the Postgres duration histograms from the data plane's {@link PgObserver} calls. */
import type { PgObserver } from '../db/pg-observer';
import type { PipewrightMetrics } from './metrics';

export function createPgMetricsObserver(metrics: PipewrightMetrics): PgObserver {
  return {
    query: (e) =>
      metrics.pgQueryDuration.observe(
        { operation: e.operation, connection: e.connection, outcome: e.outcome },
        e.seconds,
      ),
    copy: (e) =>
      metrics.pgCopyDuration.observe(
        { operation: e.operation, connection: e.connection, outcome: e.outcome },
        e.seconds,
      ),
  };
}
