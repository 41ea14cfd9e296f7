/**
 * Turns what a node threw into the failure Temporal sees: the type names the problem, retryability follows
 * from it, and the details carry the attempt and the node (the culprit within a fused chain).
 */
import { ApplicationFailure } from '@temporalio/common';
import { classifyPgError } from '../src/db/errors';
import type { NodeFailureDetails } from './contract';

/** Keeps type and retryability of an ApplicationFailure; classifies everything else. */
export function asNodeFailure(err: unknown, details: NodeFailureDetails): ApplicationFailure {
  if (err instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      type: err.type ?? 'Error',
      message: err.message,
      nonRetryable: err.nonRetryable ?? false,
      nextRetryDelay: err.nextRetryDelay ?? undefined,
      details: [details, ...(err.details ?? [])],
      cause: err.cause,
    });
  }
  const e = err instanceof Error ? err : new Error(String(err));
  // Errors of the definition or the input say so themselves; a retry would meet them again.
  if ((e as { nonRetryable?: unknown }).nonRetryable === true)
    return ApplicationFailure.create({ type: e.name, message: e.message, nonRetryable: true, details: [details] });
  const pg = classifyPgError(e);
  if (pg)
    return ApplicationFailure.create({
      type: pg.type,
      message: `node "${details.nodeId}": ${pg.message}`,
      nonRetryable: !pg.retryable,
      details: [details],
      cause: e,
    });
  return ApplicationFailure.create({ type: e.name || 'Error', message: e.message, details: [details], cause: e });
}
