/**
 * Schedules one node (or a fused chain) as a `runNode` activity with the node's own timeouts and retry policy, and
 * drops a run's staging tables when it ends. Deterministic.
 */
import {
  ActivityCancellationType,
  ActivityFailure,
  patched,
  proxyActivities,
  sleep,
  TimeoutFailure,
  workflowInfo,
} from '@temporalio/workflow';
import type { PipewrightActivities, RunNodeInput, RunNodeResult } from '../src/engine/contract';
import type { ResolvedNodeOptions } from '../src/model/options';

/**
 * How long a node on another task queue waits for a worker to pick it up before the run says so and schedules it
 * again; the last wait repeats. A wait is also how long the run takes to notice that a worker picked it up.
 */
const QUEUE_WAITS_MS = [5_000, 10_000, 30_000, 120_000, 600_000, 3_600_000] as const;
/** Patch id: a node on a task queue other than the run's is scheduled with a schedule-to-start timeout. */
const QUEUE_WAIT = 'queue-wait';

/**
 * Told when no worker has picked up the node's activity from its task queue within a wait (`taskQueue`), and when a
 * worker has picked it up after such a wait (`undefined`).
 */
export type QueueWaitListener = (taskQueue: string | undefined) => void;

export function scheduleNode(
  input: RunNodeInput,
  options: ResolvedNodeOptions,
  execution: number,
  onQueueWait?: QueueWaitListener,
): Promise<RunNodeResult> {
  const chain = input.chain;
  const last = chain?.[chain.length - 1];
  const unit = last ? `${input.node.id}..${last.id}` : input.node.id;
  // One activity per partition of a partitioned node: `load[12]`.
  const base = input.partition ? `${unit}[${input.partition.index}]` : unit;
  // Readable ids in the Web UI; a node started again after an immediate pause gets a fresh id.
  const id = execution <= 1 ? base : `${base}#${execution}`;
  const queue = options.taskQueue;
  if (queue !== undefined && queue !== workflowInfo().taskQueue && onQueueWait && patched(QUEUE_WAIT))
    return waitForQueue(input, options, id, queue, onQueueWait);
  return runNodeActivity(input, options, id);
}

/**
 * A node on another task queue: scheduled with a schedule-to-start timeout, so that a queue no worker polls (or
 * whose workers are all busy) is noticed and reported, and then scheduled again, waiting longer each time (Temporal
 * never retries a schedule-to-start timeout itself). A wait that ends picked up (its timer fires before any timeout) is reported too.
 */
async function waitForQueue(
  input: RunNodeInput,
  options: ResolvedNodeOptions,
  id: string,
  queue: string,
  onQueueWait: QueueWaitListener,
): Promise<RunNodeResult> {
  for (let wait = 0; ; wait++) {
    const waitMs = QUEUE_WAITS_MS[Math.min(wait, QUEUE_WAITS_MS.length - 1)] as number;
    const activity = runNodeActivity(input, options, wait === 0 ? id : `${id}~${wait}`, waitMs);
    if (wait > 0) {
      let settled = false;
      void activity.then(
        () => void (settled = true),
        () => void (settled = true),
      );
      // Not timed out by the end of its wait: a worker has it.
      void sleep(waitMs + 1_000).then(
        () => settled || onQueueWait(undefined),
        () => undefined,
      );
    }
    try {
      return await activity;
    } catch (err) {
      if (!isScheduleToStartTimeout(err)) throw err;
      onQueueWait(queue);
    }
  }
}

function isScheduleToStartTimeout(err: unknown): boolean {
  return (
    err instanceof ActivityFailure &&
    err.cause instanceof TimeoutFailure &&
    err.cause.timeoutType === 'SCHEDULE_TO_START'
  );
}

function runNodeActivity(
  input: RunNodeInput,
  options: ResolvedNodeOptions,
  activityId: string,
  scheduleToStartMs?: number,
): Promise<RunNodeResult> {
  const chain = input.chain;
  const { runNode } = proxyActivities<PipewrightActivities>({
    activityId,
    summary:
      (chain
        ? `${chain.map((n) => `${n.id} (${n.type})`).join(' -> ')}, fused`
        : `${input.node.id} (${input.node.type})`) +
      (input.partition ? `, partition ${input.partition.index + 1} of ${input.partition.count}` : ''),
    ...(options.taskQueue !== undefined ? { taskQueue: options.taskQueue } : {}),
    ...(scheduleToStartMs !== undefined ? { scheduleToStartTimeout: scheduleToStartMs } : {}),
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
