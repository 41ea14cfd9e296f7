/** Schedules one node as a `runNode` activity with the node's own timeouts and retry policy. Deterministic. */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { PipewrightActivities, RunNodeInput, RunNodeResult } from '../activities/contract';
import type { ResolvedNodeOptions } from '../src/dag/options';

export function scheduleNode(
  input: RunNodeInput,
  options: ResolvedNodeOptions,
  execution: number,
): Promise<RunNodeResult> {
  const { runNode } = proxyActivities<PipewrightActivities>({
    // Readable ids in the Web UI; a node started again after an immediate pause gets a fresh id.
    activityId: execution <= 1 ? input.node.id : `${input.node.id}#${execution}`,
    summary: `${input.node.id} (${input.node.type})`,
    startToCloseTimeout: options.timeoutMs,
    heartbeatTimeout: options.heartbeatTimeoutMs,
    retry: {
      initialInterval: options.retry.initialIntervalMs,
      backoffCoefficient: options.retry.backoffCoefficient,
      maximumInterval: options.retry.maximumIntervalMs,
      maximumAttempts: options.retry.maximumAttempts,
      nonRetryableErrorTypes: [...options.retry.nonRetryableErrorTypes],
    },
    // Wait for the node to acknowledge cancellation, so the checkpoint it reports reaches the workflow.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  return runNode(input);
}
