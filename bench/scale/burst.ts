/**
 * Many runs started at once: every start call is sent together, then every result awaited. Throughput over the
 * whole burst (first start to last result), each run's latency (its start call to its result), how many failed, the
 * resources used, and, from a sample of histories, the workflow-task time per node.
 */
import { randomUUID } from 'node:crypto';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { BenchEnv } from '../dag/env';
import { runPhases } from '../dag/history-phases';
import { median } from '../dag/stats';
import { withTimeout } from '../dag/timeout';
import type { WorkflowKind } from './kinds';
import { measureResources, type ResourceUse } from './resources';

export interface BurstResult {
  readonly label: string;
  readonly runs: number;
  readonly nodesPerRun: number;
  readonly wallMs: number;
  /** Latencies of the runs that succeeded, ms. */
  readonly latencyMs: readonly number[];
  readonly failed: number;
  readonly resources: ResourceUse;
  /** Median over the sampled runs of workflow-task run time (picked up to completed) per node, ms. */
  readonly wftPerNodeMs: number;
  /** The same for workflow-task queue time (scheduled to picked up) per node, ms. */
  readonly wftQueuePerNodeMs: number;
  /** The history of the first run that succeeded (for replaying). */
  readonly history?: History;
}

const HISTORY_SAMPLE = 20;

/** Runs `count` runs of `kind` at once; gives up on the burst after `timeoutMs`. */
export async function burst(env: BenchEnv, kind: WorkflowKind, count: number, timeoutMs: number): Promise<BurstResult> {
  const usage = measureResources(env.server.pid);
  const t0 = performance.now();
  const tag = randomUUID().slice(0, 8);
  const runs = Array.from({ length: count }, async (_, i) => {
    const started = performance.now();
    const handle = await env.client.workflow.start(kind.type, {
      taskQueue: env.taskQueue,
      workflowId: `bench-scale-${tag}-${i}`,
      args: [kind.input(i)],
    });
    await handle.result();
    return { ms: performance.now() - started, handle };
  });
  const settled = await withTimeout(Promise.allSettled(runs), timeoutMs, `${count} ${kind.label} runs`);
  const wallMs = performance.now() - t0;
  const resources = usage.stop();
  const done = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const histories = await Promise.all(done.slice(0, HISTORY_SAMPLE).map((r) => r.handle.fetchHistory()));
  const phases = histories.map(runPhases);
  return {
    label: kind.label,
    runs: count,
    nodesPerRun: kind.nodes,
    wallMs,
    latencyMs: done.map((r) => r.ms),
    failed: count - done.length,
    resources,
    wftPerNodeMs: median(phases.map((p) => p.wftRunMs / kind.nodes)),
    wftQueuePerNodeMs: median(phases.map((p) => p.wftQueueMs / kind.nodes)),
    ...(histories[0] ? { history: histories[0] } : {}),
  };
}

/** One run at a time, `rounds` of them: the latency of a run alone and its workflow-task time per node. */
export async function alone(env: BenchEnv, kind: WorkflowKind, rounds: number): Promise<BurstResult[]> {
  const results: BurstResult[] = [];
  for (let i = 0; i < rounds; i++) results.push(await burst(env, kind, 1, 60_000));
  return results;
}
