/**
 * Turns what a node threw into the failure Temporal sees: the type names the problem, retryability follows
 * from it (`src/platform/resilience/classify.ts`), and the details carry the attempt and the node (the culprit within a
 * fused chain). A retryable failure carries its own `nextRetryDelay` when Temporal's would be wrong: the time until
 * an open breaker half-opens, or the node's exponential delay randomised by its `retry.jitter`.
 */
import { FailureType } from '../src/engine/failure-types';
import type { Duration } from '@temporalio/common';
import { ApplicationFailure } from '@temporalio/common';
import type { ResolvedRetry } from '../src/model/options';
import type { Random } from '../src/platform/resilience/backoff';
import { backoffDelayMs, circuitOpenDelayMs } from '../src/platform/resilience/backoff';
import { classifyError } from '../src/platform/resilience/classify';
import { isError } from '../src/platform/errors';
import { CircuitOpenError, findInCauses, HttpStatusError } from '../src/platform/resilience/errors';
import type { NodeFailureDetails } from '../src/engine/contract';

/** What the delay of the next attempt depends on. */
export interface RetryContext {
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  /** The node's retry policy; without it Temporal's own delays apply. */
  readonly retry?: ResolvedRetry;
  readonly random?: Random;
}

interface FailureFields {
  type: string;
  message: string;
  nonRetryable: boolean;
  nextRetryDelay?: Duration;
  details: unknown[];
  cause?: Error;
}

/** Keeps type and retryability of an ApplicationFailure; classifies everything else; then applies the policy. */
export function asNodeFailure(err: unknown, details: NodeFailureDetails, retry?: RetryContext): ApplicationFailure {
  const f = describe(err, details, retry);
  if (!f.nonRetryable && retry?.retry) {
    const policy = retry.retry;
    // Temporal would refuse to retry these anyway; saying so here keeps a computed delay from suggesting otherwise.
    if (policy.nonRetryableErrorTypes.includes(f.type)) f.nonRetryable = true;
    else if (f.nextRetryDelay === undefined && policy.jitter > 0)
      f.nextRetryDelay = backoffDelayMs(policy, retry.attempt, retry.random);
  }
  if (f.nonRetryable) delete f.nextRetryDelay;
  return ApplicationFailure.create(f);
}

function describe(err: unknown, details: NodeFailureDetails, retry: RetryContext | undefined): FailureFields {
  if (err instanceof ApplicationFailure) {
    return {
      type: err.type ?? 'Error',
      message: err.message,
      nonRetryable: err.nonRetryable ?? false,
      nextRetryDelay: err.nextRetryDelay ?? undefined,
      details: [details, ...(err.details ?? [])],
      cause: err.cause,
    };
  }
  const e = isError(err) ? err : new Error(String(err));
  const open = findInCauses(e, CircuitOpenError);
  if (open)
    return {
      type: FailureType.CircuitOpen,
      message: `node "${details.nodeId}": ${open.message}`,
      nonRetryable: false,
      // Wait for the breaker rather than hammer it: the next attempt comes just after it lets a trial through.
      nextRetryDelay: circuitOpenDelayMs(open.retryAfterMs, open.resetTimeoutMs, retry?.retry?.jitter, retry?.random),
      details: [details],
      cause: e,
    };
  // Errors of the definition or the input say so themselves; a retry would meet them again.
  if ((e as { nonRetryable?: unknown }).nonRetryable === true)
    return { type: e.name, message: e.message, nonRetryable: true, details: [details] };
  const c = classifyError(e);
  if (c) {
    // A server that said when to come back (429 or 503 with Retry-After) is taken at its word.
    const retryAfter = findInCauses(e, HttpStatusError)?.retryAfterMs;
    return {
      type: c.type,
      message: `node "${details.nodeId}": ${c.message}`,
      nonRetryable: !c.retryable,
      ...(c.retryable && retryAfter !== undefined ? { nextRetryDelay: retryAfter } : {}),
      details: [details],
      cause: e,
    };
  }
  return { type: e.name || 'Error', message: e.message, nonRetryable: false, details: [details], cause: e };
}
