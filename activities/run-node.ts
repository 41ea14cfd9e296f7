/**
 * The `runNode` activity: looks up the node's type, parses its params, runs it with a context that heartbeats
 * automatically, and reports failures with the attempt number and cancellations with the last checkpoint.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { PipewrightMetrics } from '../src/metrics/metrics';
import { ROW_STATS } from '../src/metrics/metrics';
import type { NodeOutput } from '../src/dag/state';
import type { NodeContext } from '../src/nodes/node-type';
import type { NodeTypeRegistry } from '../src/nodes/registry';
import type { NodeFailureDetails, RunNodeInput, RunNodeResult } from './contract';

export interface RunNodeDeps {
  readonly registry: NodeTypeRegistry;
  readonly taskQueue?: string;
  readonly metrics?: PipewrightMetrics;
}

/**
 * Heartbeat every second (or a third of a shorter heartbeat timeout): a live worker never times out, and a
 * cancellation, which Temporal delivers only in a heartbeat response, reaches the node within about a second.
 */
const heartbeatEveryMs = (timeoutMs: number | undefined): number =>
  Math.min(1_000, Math.max(50, (timeoutMs ?? 30_000) / 3));

export function createRunNode(deps: RunNodeDeps): (input: RunNodeInput) => Promise<RunNodeResult> {
  return async function runNode(input) {
    const activity = Context.current();
    const { attempt, heartbeatTimeoutMs, heartbeatDetails } = activity.info;
    const { node } = input;
    const failureDetails: NodeFailureDetails = { attempt, nodeId: node.id };

    const type = deps.registry.get(node.type);
    if (!type) {
      throw ApplicationFailure.create({
        type: 'UnknownNodeType',
        nonRetryable: true,
        message: `node "${node.id}" has unknown type "${node.type}": no worker on task queue ${deps.taskQueue ?? '(this one)'} registers it. Registered types: ${deps.registry.names().join(', ')}`,
        details: [failureDetails],
      });
    }
    const parsed = type.params.safeParse(node.params);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `params.${i.path.join('.')}: ${i.message}`).join('; ');
      throw ApplicationFailure.create({
        type: 'InvalidNodeParams',
        nonRetryable: true,
        message: `node "${node.id}" (${node.type}) has invalid params: ${problems}`,
        details: [failureDetails],
      });
    }

    // A retry resumes from the previous attempt's last heartbeat; a resume after pause from the reported checkpoint.
    let checkpoint: unknown = heartbeatDetails ?? input.checkpoint;
    const timer = setInterval(() => activity.heartbeat(checkpoint), heartbeatEveryMs(heartbeatTimeoutMs));
    const ctx: NodeContext<unknown> = {
      workflowId: input.workflowId,
      pipeline: input.pipeline,
      nodeId: node.id,
      params: parsed.data,
      inputs: input.inputs,
      attempt,
      checkpoint,
      signal: activity.cancellationSignal,
      heartbeat: (next) => {
        if (next !== undefined) checkpoint = next;
        activity.heartbeat(checkpoint);
      },
      sleep: (ms) => activity.sleep(ms),
      log: {
        info: (message, attrs) => activity.log.info(message, { nodeId: node.id, ...attrs }),
        warn: (message, attrs) => activity.log.warn(message, { nodeId: node.id, ...attrs }),
      },
    };
    activity.heartbeat(checkpoint);
    const observe = instrument(deps.metrics, input);
    try {
      const run = type.run(ctx);
      // A node that ignores its signal keeps running after cancellation; its late rejection is not news.
      run.catch(() => undefined);
      const output = (await Promise.race([run, activity.cancelled])) ?? {};
      observe('succeeded', output);
      return { output, attempt };
    } catch (err) {
      if (err instanceof CancelledFailure || activity.cancellationSignal.aborted) {
        observe('cancelled');
        throw new CancelledFailure(`node "${node.id}" cancelled`, [{ checkpoint }]);
      }
      observe('failed');
      throw asNodeFailure(err, failureDetails);
    } finally {
      clearInterval(timer);
    }
  };
}

/** Counts the attempt in flight; the returned function records its duration, outcome and row stats once. */
function instrument(metrics: PipewrightMetrics | undefined, input: RunNodeInput) {
  if (!metrics) return () => undefined;
  metrics.activitiesInFlight.inc();
  const endTimer = metrics.nodeDuration.startTimer({ node_type: input.node.type });
  return (outcome: 'succeeded' | 'failed' | 'cancelled', output?: NodeOutput): void => {
    metrics.activitiesInFlight.dec();
    endTimer({ outcome });
    for (const [stat, kind] of Object.entries(ROW_STATS)) {
      const value = output?.stats?.[stat];
      if (typeof value === 'number' && value > 0)
        metrics.rows.inc({ pipeline: input.pipeline.name, node: input.node.id, kind }, value);
    }
  };
}

/** Keeps type and retryability of an ApplicationFailure; anything else becomes a retryable failure of its class. */
function asNodeFailure(err: unknown, details: NodeFailureDetails): ApplicationFailure {
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
  return ApplicationFailure.create({ type: e.name || 'Error', message: e.message, details: [details], cause: e });
}
