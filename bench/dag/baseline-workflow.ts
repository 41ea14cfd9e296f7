/**
 * The hand-written baseline of the noop benchmark: the same DAG run with the same `runNode` activity and the same
 * activity options as the interpreter, but with plain dependency counters instead of the interpreter's state machine,
 * status, details and pause handling. Deterministic: bundled into the bench worker's workflow code.
 */
import { ActivityCancellationType, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { PipewrightActivities, RunNodeResult } from '../../src/engine/contract';
import type { NodeOutput } from '../../src/model/state';
import type { ResolvedNodeOptions } from '../../src/model/options';

/** Input of {@link handWrittenDag}: the DAG's nodes, its parallelism, and the options every node runs with. */
export interface HandWrittenDagInput {
  readonly pipeline: { readonly name: string; readonly version: string };
  readonly nodes: readonly {
    readonly id: string;
    readonly type: string;
    readonly needs: readonly string[];
    readonly params?: Record<string, unknown>;
  }[];
  readonly parallelism: number;
  /** What `resolveNodeOptions` gives for these nodes, so both workflows schedule identical activities. */
  readonly options: ResolvedNodeOptions;
}

/** Runs every node as soon as its own needs are done, at most `parallelism` at once; returns how many ran. */
export async function handWrittenDag(input: HandWrittenDagInput): Promise<{ ran: number }> {
  const { parallelism } = input;
  const runNode = nodeActivity(input);

  const byId = new Map(input.nodes.map((n) => [n.id, n]));
  const waiting = new Map(input.nodes.map((n) => [n.id, n.needs.length]));
  const dependents = new Map<string, string[]>();
  for (const n of input.nodes)
    for (const need of n.needs) dependents.set(need, [...(dependents.get(need) ?? []), n.id]);
  const outputs = new Map<string, NodeOutput>();
  // Definition order, like the interpreter's readyNodes().
  const ready = input.nodes.filter((n) => n.needs.length === 0).map((n) => n.id);
  let running = 0;

  return new Promise((resolve, reject) => {
    const pump = (): void => {
      while (running < parallelism && ready.length > 0) {
        const node = byId.get(ready.shift() as string);
        if (!node) continue;
        running += 1;
        const inputs = Object.fromEntries(node.needs.map((d) => [d, outputs.get(d) ?? {}]));
        runNode(node, inputs).then((result) => {
          running -= 1;
          outputs.set(node.id, result.output);
          for (const d of dependents.get(node.id) ?? []) {
            const left = (waiting.get(d) ?? 1) - 1;
            waiting.set(d, left);
            if (left === 0) ready.push(d);
          }
          if (outputs.size === input.nodes.length) resolve({ ran: outputs.size });
          else pump();
        }, reject);
      }
    };
    pump();
  });
}

/** The node's `runNode` activity, scheduled with the same fields as workflows/node-activity.ts so that its tasks cost the server and the worker the same. */
export function nodeActivity(
  input: HandWrittenDagInput,
): (
  node: { id: string; type: string; params?: Record<string, unknown> },
  inputs: Record<string, NodeOutput>,
  checkpoint?: unknown,
  activityId?: string,
) => Promise<RunNodeResult> {
  const { options } = input;
  return (node, inputs, checkpoint, activityId) =>
    proxyActivities<PipewrightActivities>({
      activityId: activityId ?? node.id,
      summary: `${node.id} (${node.type})`,
      startToCloseTimeout: options.timeoutMs,
      heartbeatTimeout: options.heartbeatTimeoutMs,
      retry: {
        initialInterval: options.retry.initialIntervalMs,
        backoffCoefficient: options.retry.backoffCoefficient,
        maximumInterval: options.retry.maximumIntervalMs,
        maximumAttempts: options.retry.maximumAttempts,
        nonRetryableErrorTypes: [...options.retry.nonRetryableErrorTypes],
      },
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    }).runNode({
      workflowId: workflowInfo().workflowId,
      runId: workflowInfo().firstExecutionRunId,
      pipeline: input.pipeline,
      node: { id: node.id, type: node.type, params: node.params ?? {} },
      inputs,
      // The interpreter passes the retry policy, so a failing node's jittered next delay is the same in both.
      retry: options.retry,
      ...(checkpoint !== undefined ? { checkpoint } : {}),
    });
}
