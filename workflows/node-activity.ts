/**
 * Schedules one node (or a fused chain) as a `runNode` activity with the node's own timeouts and retry policy, and
 * drops a run's staging tables when it ends. Deterministic.
 */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { PipewrightActivities, RunNodeInput, RunNodeResult } from '../src/engine/contract';
import type { ResolvedNodeOptions } from '../src/model/options';

export function scheduleNode(
  input: RunNodeInput,
  options: ResolvedNodeOptions,
  execution: number,
): Promise<RunNodeResult> {
  const chain = input.chain;
  const last = chain?.[chain.length - 1];
  const id = last ? `${input.node.id}..${last.id}` : input.node.id;
  const { runNode } = proxyActivities<PipewrightActivities>({
    // Readable ids in the Web UI; a node started again after an immediate pause gets a fresh id.
    activityId: execution <= 1 ? id : `${id}#${execution}`,
    summary: chain
      ? `${chain.map((n) => `${n.id} (${n.type})`).join(' -> ')}, fused`
      : `${input.node.id} (${input.node.type})`,
    ...(options.taskQueue !== undefined ? { taskQueue: options.taskQueue } : {}),
    startToCloseTimeout: options.timeoutMs,
    heartbeatTimeout: options.heartbeatTimeoutMs,
    retry: {
      initialInterval: options.retry.initialIntervalMs,
      backoffCoefficient: options.retry.backoffCoefficient,
      maximumInterval: options.retry.maximumIntervalMs,
      // 0 means unlimited in a definition; the SDK refuses 0 and takes an absent value as unlimited.
      ...(options.retry.maximumAttempts > 0 ? { maximumAttempts: options.retry.maximumAttempts } : {}),
      nonRetryableErrorTypes: [...options.retry.nonRetryableErrorTypes],
    },
    // Wait for the node to acknowledge cancellation, so the checkpoint it reports reaches the workflow.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  return runNode(input);
}

const { dropStaging } = proxyActivities<PipewrightActivities>({
  activityId: 'drop-staging',
  summary: 'drop staging tables',
  startToCloseTimeout: '2m',
  // Leftovers are not lost work: the worker's sweep drops staging of closed runs later.
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 5 },
});

/** Drops the run's staging tables; a failure is left to the sweep. */
export async function dropRunStaging(workflowId: string, runId: string): Promise<void> {
  await dropStaging({ workflowId, runId }).catch(() => undefined);
}
