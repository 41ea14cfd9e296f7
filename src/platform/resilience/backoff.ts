/**
 * Retry delays with jitter. Temporal's own retries are exact (`initialInterval * coefficient^(n-1)`, capped); the
 * activity layer randomises them by throwing retryable failures with a computed `nextRetryDelay`, so that many
 * nodes failing together (a database restart) do not all come back at the same instant.
 */

/** The parts of a node's retry policy the delay depends on. */
export interface BackoffPolicy {
  readonly initialIntervalMs: number;
  readonly backoffCoefficient: number;
  readonly maximumIntervalMs: number;
  /** 0 to 1: the share of the delay that is random. 0 gives Temporal's exact delays. */
  readonly jitter?: number;
}

/** A number in [0, 1). */
export type Random = () => number;

const clamp01 = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);

/** The delay before the next attempt when attempt `attempt` (1-based) failed, before jitter. */
export function exponentialDelayMs(policy: BackoffPolicy, attempt: number): number {
  const n = Math.max(1, Math.floor(attempt));
  const raw = policy.initialIntervalMs * Math.pow(Math.max(1, policy.backoffCoefficient), n - 1);
  return Math.min(raw, policy.maximumIntervalMs);
}

/**
 * The jittered delay after attempt `attempt` failed: the exponential delay `d` (capped by the maximum interval)
 * scaled down by a random share of at most `jitter`, so it lies in `[d * (1 - jitter), d]`: never above the
 * policy's maximum interval, and never below `(1 - jitter)` of what Temporal itself would wait. At least 1ms.
 */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number, random: Random = Math.random): number {
  const base = exponentialDelayMs(policy, attempt);
  const jitter = clamp01(policy.jitter ?? 0);
  return Math.max(1, Math.round(base * (1 - jitter * clamp01(random()))));
}

/** Least spread added to a CircuitOpen delay, so nodes waiting on one breaker do not all arrive together. */
export const CIRCUIT_OPEN_MIN_SPREAD_MS = 100;

/**
 * The delay before retrying a call an open breaker refused: the time until the breaker lets a trial call
 * through (half-open), plus a random spread of up to `max(jitter, 10%)` of the breaker's reset timeout (at least
 * 100ms), so the retries of many nodes do not meet the single trial call at once.
 */
export function circuitOpenDelayMs(
  untilHalfOpenMs: number,
  resetTimeoutMs: number,
  jitter = 0,
  random: Random = Math.random,
): number {
  const spread = Math.max(CIRCUIT_OPEN_MIN_SPREAD_MS, resetTimeoutMs * Math.max(clamp01(jitter), 0.1));
  return Math.max(1, Math.round(Math.max(0, untilHalfOpenMs) + spread * clamp01(random())));
}
