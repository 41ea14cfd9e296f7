/**
 * Every metric pipewright exports, with its help text, in one registry per worker process.
 * Names follow Prometheus conventions: `_total` counters, `_seconds` durations, base units.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const RUN_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 7200, 21600];
const NODE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const PG_QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120];
const PG_COPY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

/** A cache the metrics read at each scrape (`TwoLevelCache` fits): request counts since the last read, L2 state. */
export interface ObservedCache {
  drainCounts(): ReadonlyArray<{ namespace: string; level: string; result: string; count: number }>;
  readonly l2Available: boolean;
}

export function createMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: 'pipewright_' });
  const registers = [registry];
  const caches = new Set<ObservedCache>();
  return {
    registry,
    pipelineRuns: new Counter({
      name: 'pipewright_pipeline_runs_total',
      help: 'Pipeline runs that ended, by pipeline and outcome (completed, failed, cancelled).',
      labelNames: ['pipeline', 'outcome'] as const,
      registers,
    }),
    pipelineRunDuration: new Histogram({
      name: 'pipewright_pipeline_run_duration_seconds',
      help: 'Wall time of pipeline runs from start to end (across continue-as-new), by pipeline and outcome.',
      labelNames: ['pipeline', 'outcome'] as const,
      buckets: RUN_BUCKETS,
      registers,
    }),
    nodeDuration: new Histogram({
      name: 'pipewright_node_duration_seconds',
      help: 'Duration of node attempts in the worker, by node type and outcome (succeeded, cached, failed, cancelled).',
      labelNames: ['node_type', 'outcome'] as const,
      buckets: NODE_BUCKETS,
      registers,
    }),
    rows: new Counter({
      name: 'pipewright_rows_total',
      help: 'Rows read, written and rejected by nodes, by pipeline, node and kind (read, written, rejected).',
      labelNames: ['pipeline', 'node', 'kind'] as const,
      registers,
    }),
    activitiesInFlight: new Gauge({
      name: 'pipewright_activities_in_flight',
      help: 'Node activities running in this worker now.',
      registers,
    }),
    pgQueryDuration: new Histogram({
      name: 'pipewright_pg_query_duration_seconds',
      help:
        'Duration of Postgres statements run by data nodes, by operation (the leading keyword: select, insert, ' +
        'begin, ...), connection name (default or DATABASE_URL_<NAME>) and outcome (ok, error).',
      labelNames: ['operation', 'connection', 'outcome'] as const,
      buckets: PG_QUERY_BUCKETS,
      registers,
    }),
    pgCopyDuration: new Histogram({
      name: 'pipewright_pg_copy_duration_seconds',
      help:
        'Duration of Postgres COPY streams, by operation (copy_in: FROM STDIN, a load; copy_out: TO STDOUT, a ' +
        'read), connection name and outcome (ok, error).',
      labelNames: ['operation', 'connection', 'outcome'] as const,
      buckets: PG_COPY_BUCKETS,
      registers,
    }),
    workerReady: new Gauge({
      name: 'pipewright_worker_ready',
      help: '1 while the worker is connected to Temporal and polling its task queue, else 0.',
      registers,
    }),
    // Circuit breakers (src/platform/resilience/): one per external resource, fed by the breakers.
    breakerState: new Gauge({
      name: 'pipewright_breaker_state',
      help: 'State of the circuit breaker of each external resource: 0 closed, 1 half-open, 2 open.',
      labelNames: ['resource'] as const,
      registers,
    }),
    breakerEvents: new Counter({
      name: 'pipewright_breaker_events_total',
      help:
        'Circuit breaker events by resource and event: open, half_open, close, peer_open and peer_close (told by ' +
        'another worker), success, failure, timeout, reject (a call refused while open).',
      labelNames: ['resource', 'event'] as const,
      registers,
    }),
    // Cache. Counted in plain fields on the hot path (an L1 hit costs nanoseconds) and drained into the counter
    // at each scrape, from every cache handed to observeCache.
    cacheRequests: new Counter({
      name: 'pipewright_cache_requests_total',
      help: 'Cache lookups by cache namespace (lookup, definitions, memo, ...), level (l1 in process, l2 Redis) and result (hit, miss).',
      labelNames: ['cache', 'level', 'result'] as const,
      registers,
      collect() {
        for (const cache of caches)
          for (const c of cache.drainCounts())
            this.inc({ cache: c.namespace, level: c.level, result: c.result }, c.count);
      },
    }),
    cacheL2Available: new Gauge({
      name: 'pipewright_cache_l2_available',
      help: '1 while the cache uses Redis (L2); 0 while it serves from the in-process L1 alone (Redis away or not configured).',
      registers,
      collect() {
        this.set(caches.size > 0 && [...caches].every((c) => c.l2Available) ? 1 : 0);
      },
    }),
    /** Reads `cache` at every scrape from now on; returns a function that stops it. */
    observeCache(cache: ObservedCache): () => void {
      caches.add(cache);
      return () => void caches.delete(cache);
    },
  };
}

export type PipewrightMetrics = ReturnType<typeof createMetrics>;

/** Node output stats that count rows, and the `kind` label each feeds. */
export const ROW_STATS = { rowsRead: 'read', rowsWritten: 'written', rowsRejected: 'rejected' } as const;
