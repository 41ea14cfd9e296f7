/** Turns what the workflow sees into node errors and run failures. Deterministic. */
import { FailureType } from '../src/engine/failure-types';
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { NodeCancelDetails, NodeFailureDetails } from '../src/engine/contract';
import type { Problem } from '../src/model/problems';
import { formatProblems } from '../src/model/problems';
import type { NodeError } from '../src/model/state';

export interface ObservedFailure {
  readonly error: NodeError;
  readonly attempts?: number;
  /** The node that failed, as the activity reported it (the culprit within a fused chain). */
  readonly nodeId?: string;
}

/** The node's error as the status reports it, and the attempt count the activity attached. */
export function describeNodeFailure(err: unknown): ObservedFailure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.[0] as Partial<NodeFailureDetails> | undefined;
    return {
      error: { type: cause.type ?? 'Error', message: cause.message, nonRetryable: cause.nonRetryable ?? false },
      attempts: typeof details?.attempt === 'number' ? details.attempt : undefined,
      nodeId: typeof details?.nodeId === 'string' ? details.nodeId : undefined,
    };
  }
  if (cause instanceof TimeoutFailure) {
    return {
      error: { type: `Timeout`, message: `activity timed out (${String(cause.timeoutType)})`, nonRetryable: false },
    };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  const type = cause instanceof Error ? cause.name : 'Error';
  return { error: { type, message, nonRetryable: false } };
}

/** The error of a node fused into a chain with the node that failed. */
export function fusedFailure(culprit: string): NodeError {
  return {
    type: FailureType.FusedNodeFailed,
    message: `ran fused with node "${culprit}", which failed; its rows were not kept`,
    nonRetryable: true,
  };
}

/** The checkpoint a cancelled node reported, if any. */
export function cancelCheckpoint(err: unknown): unknown {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  const details = (cause as { details?: unknown[] } | undefined)?.details?.[0] as NodeCancelDetails | undefined;
  return details?.checkpoint;
}

/** The non-retryable failure of a workflow started with an invalid definition. */
export function invalidDefinitionFailure(problems: readonly Problem[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.InvalidPipelineDefinition,
    nonRetryable: true,
    message: `invalid pipeline definition (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${formatProblems(problems)}`,
    details: [problems],
  });
}

/** The failure of a run in which nodes failed; lists each failed node and its error. */
export function pipelineFailure(
  name: string,
  failed: ReadonlyArray<{ id: string; error?: NodeError }>,
): ApplicationFailure {
  const lines = failed.map((n) => `  - ${n.id}: ${n.error ? `${n.error.type}: ${n.error.message}` : 'failed'}`);
  return ApplicationFailure.create({
    type: FailureType.PipelineFailed,
    nonRetryable: true,
    message: `pipeline ${name} failed: ${failed.length} node${failed.length === 1 ? '' : 's'} failed\n${lines.join('\n')}`,
    details: [failed.map((n) => ({ id: n.id, error: n.error }))],
  });
}
