/**
 * Runs a partitioned unit: lists its partitions once (the `listPartitions` activity: a count and a fingerprint),
 * then one `runNode` activity per partition, as many at once as the run's parallelism leaves free (counting the
 * other running nodes), so that Temporal spreads them over every worker of the queue. Stops starting partitions when
 * the run drains (pause, continue-as-new) and returns once the running ones are done: the unit then goes back to
 * pending with its progress kept. A partition that fails after its retries stops the unit, which fails with that
 * partition's error once the running ones are done. Deterministic.
 */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
} from '@temporalio/workflow';
import type { PipewrightActivities, RunNodeInput, RunNodeResult } from '../src/engine/contract';
import type { ListPartitionsResult } from '../src/model/partitions';
import type { ResolvedNodeOptions } from '../src/model/options';
import { nextPartitions } from '../src/model/partitions';
import type { DatasetRef } from '../src/model/state';
import { describeNodeFailure } from './failures';
import { scheduleNode, type QueueWaitListener } from './node-activity';
import type { RunTracker } from './run-tracker';
import type { Unit } from './units';

export interface PartitionHost {
  readonly run: RunTracker;
  readonly parallelism: number;
  /** Activities running now for the whole run, each running unit counted once (see `PartitionBook.extraSlots`). */
  busy(): number;
  /** Whether new partitions may start (not draining, not about to continue as new). */
  mayStart(): boolean;
}

function listPartitionsOf(unit: Unit, input: RunNodeInput, execution: number): Promise<ListPartitionsResult> {
  const { listPartitions } = proxyActivities<PipewrightActivities>({
    activityId: `${unit.key}:partitions${execution <= 1 ? '' : `#${execution}`}`,
    summary: `list the partitions of ${unit.key}`,
    startToCloseTimeout: '5m',
    retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 5 },
  });
  const { id, type, params } = input.node;
  return listPartitions({ workflowId: input.workflowId, runId: input.runId, node: { id, type, params } });
}

export async function runPartitions(
  unit: Unit,
  input: RunNodeInput,
  options: ResolvedNodeOptions,
  execution: number,
  host: PartitionHost,
  onQueueWait?: QueueWaitListener,
): Promise<RunNodeResult> {
  const book = host.run.partitions;
  let progress = book.progress(unit);
  if (progress) book.restarted(unit);
  else progress = book.listed(unit, await listPartitionsOf(unit, input, execution));
  const { count, fingerprint } = progress;
  const running = new Set<number>();
  const scope = CancellationScope.current();
  let stop: unknown;
  let dataset: DatasetRef | undefined;
  let attempt = 1;
  const start = (index: number): void => {
    running.add(index);
    book.started(unit);
    const partitionInput: RunNodeInput = { ...input, checkpoint: undefined, partition: { index, count, fingerprint } };
    void scheduleNode(partitionInput, options, execution, onQueueWait).then(
      (result) => {
        running.delete(index);
        dataset ??= result.output.dataset;
        attempt = Math.max(attempt, result.attempt);
        if (result.staged) host.run.partitionStaged();
        book.done(unit, index, result);
      },
      (err: unknown) => {
        running.delete(index);
        if (isCancellation(err)) {
          stop ??= err;
          book.cancelled(unit);
          return;
        }
        const failure = partitionFailure(err, index, count);
        stop ??= failure.error;
        book.failed(unit, failure.shown);
      },
    );
  };
  for (;;) {
    if (stop === undefined && !scope.consideredCancelled && host.mayStart()) {
      // A running unit holds one slot already: its first partition takes that one.
      const free = host.parallelism - host.busy() + (running.size === 0 ? 1 : 0);
      for (const index of nextPartitions(book.progress(unit) ?? progress, running, Math.max(free, 0))) start(index);
    }
    if (running.size === 0) break;
    const seen = host.run.version;
    // Cancelled, the partitions acknowledge (their activities wait for it) before the unit reports.
    await CancellationScope.nonCancellable(() => condition(() => host.run.version !== seen));
  }
  if (stop !== undefined) throw stop;
  // Stopped with partitions left (a pause, continue-as-new): the tracker puts the unit back to pending.
  if (!book.complete(unit)) return { output: {}, attempt };
  return book.result(unit, dataset, attempt);
}

/** A partition's failure as the unit's, its message naming the partition; and as the status lists it. */
function partitionFailure(
  err: unknown,
  index: number,
  count: number,
): { error: ApplicationFailure; shown: { index: number; name: string; message: string } } {
  const observed = describeNodeFailure(err);
  const cause = (err as { cause?: { details?: unknown[] } }).cause;
  const details = cause?.details?.[0] as { partition?: { name?: unknown } } | undefined;
  const name = typeof details?.partition?.name === 'string' ? details.partition.name : `#${index}`;
  const error = ApplicationFailure.create({
    type: observed.error.type,
    nonRetryable: observed.error.nonRetryable,
    message: `partition ${index + 1} of ${count} (${name}) failed: ${observed.error.message}`,
    details: [
      {
        ...(observed.attempts !== undefined ? { attempt: observed.attempts } : {}),
        ...(observed.nodeId !== undefined ? { nodeId: observed.nodeId } : {}),
        partition: { index, name },
      },
    ],
  });
  return { error, shown: { index, name, message: observed.error.message } };
}
