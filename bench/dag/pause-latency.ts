/**
 * (c) How long a drain pause takes to be acknowledged: the `setPaused` update sent through PipewrightClient.pause to
 * a run whose only node is a long sleep already running on the worker, timed from the call to its return.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { PipewrightClient } from '../../src/client/client';
import type { BenchEnv } from './env';
import { longSleep } from './shapes';
import { withTimeout } from './timeout';

/** Acknowledgment times in milliseconds, and how many returned a status that was not paused. */
export interface PauseLatencyResult {
  readonly ackMs: readonly number[];
  /** Round trips of a `status` query to the same run just before: the floor any message to the worker pays. */
  readonly queryMs: readonly number[];
  readonly notPaused: number;
}

// Pending activity state STARTED (temporal.api.enums.v1.PendingActivityState): the node is running on the worker.
const ACTIVITY_STARTED = 2;

async function untilNodeRunning(handle: WorkflowHandle, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const { raw } = await handle.describe();
    if (raw.pendingActivities?.some((a) => a.state === ACTIVITY_STARTED)) return;
    await sleep(5);
  }
  throw new Error(`run ${handle.workflowId}: its node did not start in time`);
}

/** Pauses `runs` fresh runs one after another (after `warmups` unmeasured ones), terminating each afterwards. */
export async function benchPauseLatency(env: BenchEnv, { runs = 100, warmups = 3 } = {}): Promise<PauseLatencyResult> {
  const pw = new PipewrightClient(env.client, { taskQueue: env.taskQueue });
  // Long enough never to end on its own during the measurement; terminated right after it.
  const definition = longSleep(5 * 60_000);
  const ackMs: number[] = [];
  const queryMs: number[] = [];
  let notPaused = 0;
  for (let i = 0; i < warmups + runs; i++) {
    const workflowId = `bench-pause-${randomUUID().slice(0, 8)}`;
    const handle = await env.client.workflow.start('pipeline', {
      taskQueue: env.taskQueue,
      workflowId,
      args: [{ definition }],
    });
    try {
      await untilNodeRunning(handle, Date.now() + 10_000);
      const q0 = performance.now();
      await withTimeout(pw.status(workflowId), 10_000, `status of ${workflowId}`);
      const t0 = performance.now();
      const status = await withTimeout(pw.pause(workflowId, { mode: 'drain' }), 10_000, `pause of ${workflowId}`);
      const t1 = performance.now();
      if (i < warmups) continue;
      queryMs.push(t0 - q0);
      ackMs.push(t1 - t0);
      if (!status.paused || status.nodes.find((n) => n.id === 'busy')?.state !== 'running') notPaused += 1;
    } finally {
      // Terminate, not cancel: a cancel waits for the node's next heartbeat and would load the next measurement.
      await handle.terminate('pause benchmark done').catch(() => undefined);
    }
  }
  return { ackMs, queryMs, notPaused };
}
