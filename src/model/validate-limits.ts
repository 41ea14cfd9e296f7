/** Checks that limits in a definition make sense (ranges and relations zod alone does not express). Pure. */
import { parseDuration } from './duration';
import { MAX_NODES, MAX_PARALLELISM } from './limits';
import type { Problem } from './problems';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const durationOf = (v: unknown): number | undefined =>
  typeof v === 'number' || typeof v === 'string' ? parseDuration(v) : undefined;

/** Problems with parallelism, timeouts and retry settings, in defaults and in each node. */
export function checkLimits(def: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const defaults = isRecord(def.defaults) ? def.defaults : {};
  const p = defaults.parallelism;
  if (typeof p === 'number' && (p < 1 || p > MAX_PARALLELISM))
    problems.push({
      path: 'defaults.parallelism',
      message: `parallelism must be between 1 and ${MAX_PARALLELISM} (Temporal's pending-activity limit), got ${p}`,
    });
  if (Array.isArray(def.nodes) && def.nodes.length > MAX_NODES)
    problems.push({ path: 'nodes', message: `at most ${MAX_NODES} nodes per pipeline, got ${def.nodes.length}` });
  problems.push(...checkExecution(defaults, 'defaults'));
  if (Array.isArray(def.nodes))
    def.nodes.forEach((n, i) => isRecord(n) && problems.push(...checkExecution(n, `nodes[${i}]`, defaults)));
  return problems;
}

function checkExecution(o: Record<string, unknown>, path: string, inherited: Record<string, unknown> = {}): Problem[] {
  const problems: Problem[] = [];
  const timeout = durationOf(o.timeout);
  if (o.timeout !== undefined && timeout === 0)
    problems.push({ path: `${path}.timeout`, message: 'timeout must be greater than 0' });
  const heartbeat = durationOf(o.heartbeatTimeout);
  if (o.heartbeatTimeout !== undefined && heartbeat === 0)
    problems.push({ path: `${path}.heartbeatTimeout`, message: 'heartbeatTimeout must be greater than 0' });
  const effectiveTimeout = timeout ?? durationOf(inherited.timeout);
  if (heartbeat !== undefined && effectiveTimeout !== undefined && heartbeat > effectiveTimeout)
    problems.push({
      path: `${path}.heartbeatTimeout`,
      message: `heartbeatTimeout (${heartbeat}ms) is longer than the timeout (${effectiveTimeout}ms), so it could never fire`,
    });
  if (isRecord(o.retry)) problems.push(...checkRetry(o.retry, `${path}.retry`));
  return problems;
}

function checkRetry(r: Record<string, unknown>, path: string): Problem[] {
  const problems: Problem[] = [];
  if (typeof r.backoffCoefficient === 'number' && r.backoffCoefficient < 1)
    problems.push({
      path: `${path}.backoffCoefficient`,
      message: `backoffCoefficient must be at least 1, got ${r.backoffCoefficient}`,
    });
  if (typeof r.maximumAttempts === 'number' && r.maximumAttempts < 0)
    problems.push({ path: `${path}.maximumAttempts`, message: 'maximumAttempts must be 0 (unlimited) or more' });
  const initial = durationOf(r.initialInterval);
  const maximum = durationOf(r.maximumInterval);
  if (r.initialInterval !== undefined && initial === 0)
    problems.push({ path: `${path}.initialInterval`, message: 'initialInterval must be greater than 0' });
  if (initial !== undefined && maximum !== undefined && maximum < initial)
    problems.push({
      path: `${path}.maximumInterval`,
      message: `maximumInterval (${maximum}ms) is shorter than initialInterval (${initial}ms)`,
    });
  return problems;
}
