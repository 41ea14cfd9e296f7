/**
 * What prometheus.live.test.ts expects of each PromQL expression of the dashboard and the alert rules after its
 * runs: series (by labels) that must be in the result, each once, with a value that passes a check. None of the
 * expressions is expected empty: the runs give every panel and every alert data.
 */
import type { PromSample } from '../../helpers/prometheus-server';

type Check = (v: number) => boolean;
export type Expected = Record<string, Array<[Record<string, string>, Check]>>;

export const matches = (s: PromSample, labels: Record<string, string>): boolean =>
  Object.entries(labels).every(([k, v]) => s.metric[k] === v);

const finite: Check = (v) => Number.isFinite(v);
const positive: Check = (v) => v > 0;
const is =
  (n: number): Check =>
  (v) =>
    v === n;
const under50: Check = (v) => v > 0 && v < 0.5;
const over5s: Check = (v) => v > 5000;
const POSTGRES = 'postgres://127.0.0.1:5432/postgres';

export interface LiveContext {
  /** The worker's task queue, and as the Temporal server's metrics write it (_ for - and .). */
  readonly queue: string;
  readonly serverQueue: string;
  /** The origin of the API that is down (its breaker's resource). */
  readonly api: string;
  readonly workerTarget: string;
  readonly deadTarget: string;
}

export function expectedDashboard({ queue, serverQueue, api }: LiveContext): Expected {
  const nodeTypes = ['source.csv', 'transform.lookup', 'sink.postgres', 'sleep', 'source.http'];
  const latency = nodeTypes.map((t): [Record<string, string>, Check] => [{ node_type: t }, positive]);
  return {
    // Raw series: the variable lists their label's values.
    'variable task_queue': [[{ task_queue: queue, worker_type: 'ActivityWorker' }, is(2)]],
    'variable server_task_queue': [[{ taskqueue: serverQueue, task_type: 'Activity', partition: '0' }, finite]],
    'Throughput (rows/s) A': [
      [{ kind: 'read' }, positive],
      [{ kind: 'written' }, positive],
      [{ kind: 'rejected' }, positive],
    ],
    // prom-broken's single failure is its series' first value, which increase() cannot see (the alert does).
    'Pipeline runs ended (per 5 min) A': [
      [{ pipeline: 'prom-data', outcome: 'completed' }, positive],
      [{ pipeline: 'prom-data', outcome: 'failed' }, is(0)],
      [{ pipeline: 'prom-broken', outcome: 'failed' }, finite],
    ],
    'Node latency p95 by node type A': latency,
    'Node latency p95 by node type B': latency,
    'Postgres query and COPY latency p95 A': [[{}, positive]],
    'Postgres query and COPY latency p95 B': [[{}, positive]],
    'Circuit breaker state A': [
      [{ resource: api }, is(2)],
      [{ resource: POSTGRES }, is(0)],
    ],
    'Circuit breaker events (per s) A': [
      [{ resource: api, event: 'failure' }, positive],
      [{ resource: api, event: 'open' }, finite],
      [{ resource: POSTGRES, event: 'success' }, positive],
      [{ resource: POSTGRES, event: 'open' }, is(0)],
    ],
    'Cache hit rate A': [
      [{ cache: 'lookup', level: 'l1' }, under50],
      [{ cache: 'lookup', level: 'l2' }, is(0)],
    ],
    'Cache hit rate B': [[{ cache: 'lookup' }, under50]],
    // Drained by the time of the query; the test checks its peak while the sleeps queued.
    'Task queue backlog A': [[{ taskqueue: serverQueue, task_type: 'Activity' }, finite]],
    'Schedule-to-start latency p95 (backlog approximation) A': [[{ task_queue: queue }, over5s]],
    'Schedule-to-start latency p95 (backlog approximation) B': [[{ task_queue: queue }, positive]],
    'Worker slots and activities in flight A': [[{ worker_type: 'ActivityWorker' }, is(2)]],
    'Worker slots and activities in flight B': [[{}, is(0)]],
    'Worker slots and activities in flight C': [[{}, is(1)]],
  };
}

/** Every series of each alert expression: nothing else may alert (no other worker is scraped). */
export function expectedAlerts({ queue, api, workerTarget, deadTarget }: LiveContext): Expected {
  return {
    PipewrightRunFailed: [[{ pipeline: 'prom-broken' }, is(1)]],
    PipewrightCircuitBreakerOpen: [[{ resource: api, instance: workerTarget }, is(2)]],
    PipewrightWorkerNotReady: [[{ instance: deadTarget, job: 'pipewright-worker' }, is(0)]],
    PipewrightCacheHitRateLow: [[{ cache: 'lookup' }, under50]],
    PipewrightTaskQueueBacklog: [[{ task_queue: queue, task_type: 'activity' }, over5s]],
    // The second load's 15 rejects in 300 rows (the first load's counts were its series' first values).
    PipewrightRejectRatioHigh: [[{ pipeline: 'prom-data', node: 'extract' }, (v) => Math.abs(v - 0.05) < 0.01]],
  };
}
