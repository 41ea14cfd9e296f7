/**
 * Many runs paused at once and resumed: `count` runs whose one node is a long sleep, all running, get a `setPaused`
 * update each, sent together; each acknowledgment is timed from its call to its return. Then the same for resume.
 * The interpreter and the hand-written pausable workflow receive the same update (same name, same arguments).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { setPausedUpdate } from '../../src/engine/messages';
import type { PauseMode } from '../../src/model/state';
import type { BenchEnv } from '../dag/env';
import { handWrittenInput } from '../dag/noop-overhead';
import { longSleep } from '../dag/shapes';
import { withTimeout } from '../dag/timeout';
import { measureResources, type ResourceUse } from './resources';

export interface PauseManyResult {
  readonly label: string;
  readonly mode: PauseMode;
  readonly runs: number;
  readonly pauseAckMs: readonly number[];
  readonly resumeAckMs: readonly number[];
  /** Updates that failed or returned a status that is not paused (pause) or still paused (resume). */
  readonly wrong: number;
  readonly resources: ResourceUse;
}

// Pending activity state STARTED (temporal.api.enums.v1.PendingActivityState).
const ACTIVITY_STARTED = 2;

async function untilRunning(handles: readonly WorkflowHandle[], deadline: number): Promise<void> {
  for (const handle of handles)
    for (;;) {
      const { raw } = await handle.describe();
      if (raw.pendingActivities?.some((a) => a.state === ACTIVITY_STARTED)) break;
      if (Date.now() > deadline) throw new Error(`run ${handle.workflowId}: its node did not start in time`);
      await sleep(20);
    }
}

/** Sends `args` to every run at once; the ack time of each, and how many were wrong by `check`. */
async function sendAll(
  handles: readonly WorkflowHandle[],
  paused: boolean,
  mode: PauseMode,
): Promise<{ ms: number[]; wrong: number }> {
  const results = await Promise.allSettled(
    handles.map(async (h) => {
      const t0 = performance.now();
      const status = await h.executeUpdate(setPausedUpdate, { args: [{ paused, mode }] });
      return { ms: performance.now() - t0, ok: status.paused === paused };
    }),
  );
  const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  return { ms: ok.map((r) => r.ms), wrong: handles.length - ok.filter((r) => r.ok).length };
}

export async function pauseMany(
  env: BenchEnv,
  kind: 'pipewright' | 'hand-written',
  count: number,
  mode: PauseMode,
): Promise<PauseManyResult> {
  // Long enough never to end on its own; terminated once measured.
  const definition = longSleep(10 * 60_000);
  const [type, input] =
    kind === 'pipewright' ? ['pipeline', { definition }] : ['handWrittenPausable', handWrittenInput(definition)];
  const tag = randomUUID().slice(0, 8);
  const handles = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      env.client.workflow.start(type, {
        taskQueue: env.taskQueue,
        workflowId: `bench-pause-${tag}-${i}`,
        args: [input],
      }),
    ),
  );
  try {
    await untilRunning(handles, Date.now() + 120_000);
    const usage = measureResources(env.server.pid);
    const pause = await withTimeout(sendAll(handles, true, mode), 120_000, `${count} pauses`);
    const resume = await withTimeout(sendAll(handles, false, mode), 120_000, `${count} resumes`);
    return {
      label: kind,
      mode,
      runs: count,
      pauseAckMs: pause.ms,
      resumeAckMs: resume.ms,
      wrong: pause.wrong + resume.wrong,
      resources: usage.stop(),
    };
  } finally {
    await Promise.all(handles.map((h) => h.terminate('pause benchmark done').catch(() => undefined)));
  }
}
