/**
 * The metric names a PromQL expression of the deployment may use: pipewright's own (src/platform/metrics/), the
 * Temporal SDK's worker metrics and the Temporal server's that the dashboard and alerts use (both seen on a live
 * worker and dev server by test/integration/deploy/prometheus.live.test.ts), and Prometheus's `up`.
 */
import { createMetrics } from '../../src/platform/metrics/metrics';

export const TEMPORAL_SDK_METRICS = [
  'temporal_activity_schedule_to_start_latency',
  'temporal_workflow_task_schedule_to_start_latency',
  'temporal_worker_task_slots_available',
] as const;
export const TEMPORAL_SERVER_METRICS = ['approximate_backlog_count'] as const;
const PROMETHEUS_METRICS = ['up'];

export async function knownMetricNames(): Promise<Set<string>> {
  const own = (await createMetrics().registry.getMetricsAsJSON()).map((m) => m.name);
  return new Set([...own, ...TEMPORAL_SDK_METRICS, ...TEMPORAL_SERVER_METRICS, ...PROMETHEUS_METRICS]);
}

/**
 * Metric names in an expression (outside its quoted strings), histogram series (`_bucket`, `_sum`, `_count`) by
 * their histogram's name when `known` has it.
 */
export function metricNamesIn(expr: string, known: ReadonlySet<string>): string[] {
  const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const names = [...code.matchAll(/\b((?:pipewright|temporal|approximate)_[a-z_]+|up(?=\s*\{))/g)].map(
    (m) => m[1] as string,
  );
  const base = (n: string) => n.replace(/_(bucket|sum|count)$/, '');
  return [...new Set(names.map((n) => (known.has(n) || !known.has(base(n)) ? n : base(n))))];
}
