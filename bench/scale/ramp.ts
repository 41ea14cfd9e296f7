/**
 * A ramp of start rates: runs are started at a rate rising linearly 0 -> 10 -> 50 runs/s and falling back 50 -> 10
 * -> 0, each leg `legSeconds` long. Each run's latency is counted in the leg it started in, so the table shows how
 * latency grows while the start rate exceeds what the installation completes, and recovers after.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchEnv } from '../dag/env';
import { withTimeout } from '../dag/timeout';
import type { WorkflowKind } from './kinds';
import { measureResources, type ResourceUse } from './resources';

export interface RampLeg {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly latencyMs: number[];
  started: number;
  failed: number;
}

export interface RampResult {
  readonly label: string;
  readonly legs: readonly RampLeg[];
  readonly wallMs: number;
  readonly nodesPerRun: number;
  readonly resources: ResourceUse;
}

const RATES = [0, 10, 50, 10, 0];

export async function ramp(env: BenchEnv, kind: WorkflowKind, legSeconds: number): Promise<RampResult> {
  const legs: RampLeg[] = RATES.slice(1).map((to, i) => {
    const from = RATES[i] as number;
    return { name: `${from} -> ${to} runs/s`, from, to, latencyMs: [], started: 0, failed: 0 };
  });
  const legMs = legSeconds * 1000;
  /** Runs that should have started `t` ms into the ramp: the integral of the rate. */
  const due = (t: number): number => {
    let total = 0;
    for (let i = 0; i < legs.length; i++) {
      const { from, to } = legs[i] as RampLeg;
      const dt = Math.min(Math.max(t - i * legMs, 0), legMs) / 1000;
      total += from * dt + ((to - from) * dt * dt) / (2 * legSeconds);
    }
    return total;
  };
  const usage = measureResources(env.server.pid);
  const tag = randomUUID().slice(0, 8);
  const runs: Promise<void>[] = [];
  const t0 = performance.now();
  let started = 0;
  for (let t = 0; t <= legs.length * legMs; t = performance.now() - t0) {
    const leg = legs[Math.min(legs.length - 1, Math.floor(t / legMs))] as RampLeg;
    for (; started < Math.floor(due(t)); started++) {
      const i = started;
      leg.started += 1;
      runs.push(
        (async () => {
          const s = performance.now();
          try {
            const handle = await env.client.workflow.start(kind.type, {
              taskQueue: env.taskQueue,
              workflowId: `bench-ramp-${tag}-${i}`,
              args: [kind.input(i)],
            });
            await handle.result();
            leg.latencyMs.push(performance.now() - s);
          } catch {
            leg.failed += 1;
          }
        })(),
      );
    }
    await sleep(10);
  }
  await withTimeout(Promise.all(runs), 300_000, `the ramp's ${started} ${kind.label} runs`);
  return { label: kind.label, legs, wallMs: performance.now() - t0, nodesPerRun: kind.nodes, resources: usage.stop() };
}
