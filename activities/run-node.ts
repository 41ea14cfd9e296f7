/**
 * The `runNode` activity: looks up the node's type (each node's, for a fused chain), parses params, runs it with a
 * context that heartbeats automatically, and reports failures with the attempt number and the failing node, and
 * cancellations with the last checkpoint.
 */
import { FailureType } from '../src/engine/failure-types';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { NodeOutput } from '../src/model/state';
import { runChain } from '../src/nodes/stream/chain';
import { failedNodeOf } from '../src/data/node-error';
import type { DataServices } from '../src/data/services';
import type { PipewrightMetrics } from '../src/platform/metrics/metrics';
import { ROW_STATS } from '../src/platform/metrics/metrics';
import { checkpointOf, heartbeatDetails as detailsFor } from '../src/engine/heartbeat-details';
import { dataContext, type NodeContext, type NodeType } from '../src/nodes/node-type';
import type { NodeTypes } from '../src/nodes/node-types';
import { chainFingerprints } from '../src/data/memo/fingerprint';
import type { MemoStore } from '../src/data/memo/memo-store';
import type { NodeFailureDetails, NodeRef, RunNodeInput, RunNodeResult } from '../src/engine/contract';
import { findMemoized, keepMemoized, stampFingerprints } from './memoize';
import { asNodeFailure } from './node-failure';
import { findPartition } from '../src/data/partitions/planners';
import type { PartitionInContext, PartitionRef } from '../src/data/partitions/types';

export interface RunNodeDeps {
  readonly nodeTypes: NodeTypes;
  readonly data: DataServices;
  readonly taskQueue?: string;
  readonly metrics?: PipewrightMetrics;
  /** Where memoized nodes (`cache` in the definition) keep and find their outputs. */
  readonly memo?: MemoStore;
}

/**
 * Heartbeat every second (or a third of a shorter heartbeat timeout): a live worker never times out, and a
 * cancellation, which Temporal delivers only in a heartbeat response, reaches the node within about a second.
 */
const heartbeatEveryMs = (timeoutMs: number | undefined): number =>
  Math.min(1_000, Math.max(50, (timeoutMs ?? 30_000) / 3));

/**
 * How long a cancelled node gets to stop (a COPY rolled back, a file closed) before the activity reports the
 * cancellation anyway. Heartbeats go on meanwhile, so the wait does not time the activity out.
 */
export const CANCEL_SETTLE_MS = 15_000;

export function createRunNode(deps: RunNodeDeps): (input: RunNodeInput) => Promise<RunNodeResult> {
  return async function runNode(input) {
    const activity = Context.current();
    const { attempt, heartbeatTimeoutMs, heartbeatDetails } = activity.info;
    const refs = input.chain ?? [input.node];
    let partition: PartitionInContext | undefined;
    const details = (nodeId: string): NodeFailureDetails => ({
      attempt,
      nodeId,
      ...(input.partition
        ? {
            partition: {
              index: input.partition.index,
              name: partition?.descriptor.name ?? `#${input.partition.index}`,
            },
          }
        : {}),
    });
    const resolved = refs.map((ref) => resolveNode(deps, ref, details(ref.id)));
    if (input.partition) partition = await findOwnPartition(deps, resolved[0]!, input, input.partition, details);
    const fingerprints = chainFingerprints(
      resolved.map(({ ref, params }) => ({ id: ref.id, type: ref.type, params, key: ref.cache?.key })),
      input.inputs,
    );
    // Memoized nodes never fuse; a chain is never memoized.
    const memo =
      refs.length === 1 && input.node.cache && deps.memo ? { store: deps.memo, ...input.node.cache } : undefined;

    // A retry resumes from the previous attempt's last heartbeat; a resume after pause from the reported checkpoint.
    let checkpoint: unknown = checkpointOf(heartbeatDetails) ?? input.checkpoint;
    // Rows each node reported in this attempt; they ride along with the checkpoint for clients to read.
    const rows = new Map<string, number>();
    const beat = (): void => activity.heartbeat(detailsFor(checkpoint, rows));
    const timer = setInterval(beat, heartbeatEveryMs(heartbeatTimeoutMs));
    const contextFor = (ref: NodeRef, type: NodeType<unknown>, params: unknown): NodeContext<unknown> => ({
      workflowId: input.workflowId,
      runId: input.runId,
      pipeline: input.pipeline,
      nodeId: ref.id,
      params,
      // Only the chain's first node reads upstream outputs; the others read the stream.
      inputs: ref.id === input.node.id ? input.inputs : {},
      attempt,
      checkpoint,
      ...(input.ledgerRun ? { ledgerRun: input.ledgerRun } : {}),
      ...(partition ? { partition } : {}),
      signal: activity.cancellationSignal,
      heartbeat: (next) => {
        if (next !== undefined) checkpoint = next;
        beat();
      },
      progress: (n) => {
        const first = !rows.has(ref.id);
        rows.set(ref.id, n);
        // The first report goes out at once, so a watcher sees the node move; later ones ride the timer.
        if (first) beat();
      },
      sleep: (ms) => activity.sleep(ms),
      log: {
        info: (message, attrs) => activity.log.info(message, { nodeId: ref.id, ...attrs }),
        warn: (message, attrs) => activity.log.warn(message, { nodeId: ref.id, ...attrs }),
      },
      // Data nodes only; one with its own breaker settings calls its resources through breakers of its own.
      ...(type.dataPlane ? { data: deps.data.withBreakerOverrides(ref.breaker) } : {}),
    });
    const members = resolved.map(({ ref, type, params }) => ({ type, ctx: contextFor(ref, type, params) }));
    // Carry a resumed checkpoint over at once, so a crash before the node's first heartbeat does not lose it.
    if (checkpoint !== undefined) beat();
    const observe = instrument(deps.metrics, input, refs);
    let run: Promise<Record<string, NodeOutput>> | undefined;
    try {
      const kept = memo && (await findMemoized(memo.store, input.node.id, fingerprints[0] as string, activity.log));
      if (kept) {
        observe('cached');
        return { output: kept, attempt, cached: true };
      }
      run =
        members.length > 1
          ? runChain(members.map((m) => ({ type: m.type, ctx: dataContext(m.ctx) })))
          : (async () => {
              const only = members[0] as (typeof members)[number];
              return { [only.ctx.nodeId]: (await only.type.run(only.ctx)) ?? {} };
            })();
      // A node that ignores its signal keeps running after cancellation; its late rejection is not news.
      run.catch(() => undefined);
      const outputs = stampFingerprints(
        await Promise.race([run, activity.cancelled]),
        refs.map((r) => r.id),
        fingerprints,
      );
      observe('succeeded', outputs);
      const last = refs[refs.length - 1] as NodeRef;
      let output = outputs[last.id] ?? {};
      if (memo) {
        const owner = { workflowId: input.workflowId, runId: input.runId, nodeId: last.id };
        output = await keepMemoized(
          memo.store,
          owner,
          last.type,
          fingerprints[0] as string,
          output,
          memo.ttlMs,
          activity.log,
        );
      }
      // A fused chain that ends in a sink leaves no staging: the run then has nothing to drop for it.
      const staged =
        output.dataset?.kind === 'table' && output.dataset.location.startsWith(`${deps.data.stagingSchema}.`);
      return { output, ...(refs.length > 1 ? { outputs } : {}), attempt, ...(staged ? { staged } : {}) };
    } catch (err) {
      if (err instanceof CancelledFailure || activity.cancellationSignal.aborted) {
        // Don't report the cancellation until the node has stopped: until then it may still commit a batch, and
        // the checkpoint reported must be the last one it made, so that nothing runs on after "cancelled".
        if (run && !(await settles(run, CANCEL_SETTLE_MS)))
          activity.log.warn('node did not stop within the cancellation grace time', { nodeId: input.node.id });
        observe('cancelled');
        throw new CancelledFailure(`node "${input.node.id}" cancelled`, [{ checkpoint }]);
      }
      observe('failed');
      throw asNodeFailure(err, details(failedNodeOf(err) ?? input.node.id), { attempt, retry: input.retry });
    } finally {
      clearInterval(timer);
    }
  };
}

/** The node's type and its params parsed by the type's schema; fails non-retryably for an unknown type or bad params. */
export function resolveNode(
  deps: Pick<RunNodeDeps, 'nodeTypes' | 'taskQueue'>,
  ref: NodeRef,
  details: NodeFailureDetails,
): { ref: NodeRef; type: NodeType<unknown>; params: unknown } {
  const type = deps.nodeTypes.get(ref.type);
  if (!type) {
    throw ApplicationFailure.create({
      type: FailureType.UnknownNodeType,
      nonRetryable: true,
      message: `node "${ref.id}" has unknown type "${ref.type}": no worker on task queue ${deps.taskQueue ?? '(this one)'} registers it. Registered types: ${deps.nodeTypes.names().join(', ')}`,
      details: [details],
    });
  }
  const parsed = type.params.safeParse(ref.params);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `params.${i.path.join('.')}: ${i.message}`).join('; ');
    throw ApplicationFailure.create({
      type: FailureType.InvalidNodeParams,
      nonRetryable: true,
      message: `node "${ref.id}" (${ref.type}) has invalid params: ${problems}`,
      details: [details],
    });
  }
  return { ref, type, params: parsed.data };
}

/** The partition `ref` names: from a fresh listing (a changed one fails non-retryably) or the run's stored plan. */
async function findOwnPartition(
  deps: RunNodeDeps,
  first: { ref: NodeRef; params: unknown },
  run: { workflowId: string; runId: string },
  ref: PartitionRef,
  details: (nodeId: string) => NodeFailureDetails,
): Promise<PartitionInContext> {
  try {
    const node = { nodeId: first.ref.id, type: first.ref.type, params: first.params as Record<string, unknown> };
    return await findPartition(node, ref, { data: deps.data, run });
  } catch (err) {
    throw asNodeFailure(err, details(first.ref.id));
  }
}

/** Counts the attempt in flight; the returned function records its duration, outcome and row stats once. */
function instrument(metrics: PipewrightMetrics | undefined, input: RunNodeInput, refs: readonly NodeRef[]) {
  if (!metrics) return () => undefined;
  metrics.activitiesInFlight.inc();
  const timers = refs.map((ref) => metrics.nodeDuration.startTimer({ node_type: ref.type }));
  return (outcome: 'succeeded' | 'cached' | 'failed' | 'cancelled', outputs?: Record<string, NodeOutput>): void => {
    metrics.activitiesInFlight.dec();
    for (const end of timers) end({ outcome });
    for (const ref of refs) {
      const stats = outputs?.[ref.id]?.stats;
      for (const [stat, kind] of Object.entries(ROW_STATS)) {
        const value = stats?.[stat];
        if (typeof value === 'number' && value > 0)
          metrics.rows.inc({ pipeline: input.pipeline.name, node: ref.id, kind }, value);
      }
    }
  };
}

/** Whether `p` settles (either way) within `ms`. */
async function settles(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
