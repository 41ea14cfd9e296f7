/** The engine's own node types: noop, sleep, fail (described in `src/model/nodes/builtin.ts`). */
import { ApplicationFailure } from '@temporalio/common';
import { failDescription, noopDescription, sleepDescription } from '../model/nodes/builtin';
import { durationMs } from '../model/duration';
import { implementNode } from './node-type';

export const noopNode = implementNode(noopDescription, {
  run: async () => ({ stats: {} }),
});

interface SleepCheckpoint {
  readonly sleptMs: number;
}

const SLEEP_SLICE_MS = 1_000;

export const sleepNode = implementNode(sleepDescription, {
  run: async (ctx) => {
    const total = durationMs(ctx.params.duration);
    let slept = (ctx.checkpoint as SleepCheckpoint | undefined)?.sleptMs ?? 0;
    const resumedFromMs = slept;
    while (slept < total) {
      const slice = Math.min(SLEEP_SLICE_MS, total - slept);
      await ctx.sleep(slice);
      slept += slice;
      // No heartbeat after the last slice: the result follows at once and a heartbeat would only delay it.
      if (slept < total) ctx.heartbeat({ sleptMs: slept } satisfies SleepCheckpoint);
    }
    return { stats: { sleptMs: total - resumedFromMs, resumedFromMs } };
  },
});

export const failNode = implementNode(failDescription, {
  run: async (ctx) => {
    const p = ctx.params;
    if (p.always || ctx.attempt <= p.attempts) {
      throw ApplicationFailure.create({
        type: p.errorType,
        message: `${p.message} (attempt ${ctx.attempt})`,
        nonRetryable: !p.retryable,
      });
    }
    return { stats: { failedAttempts: ctx.attempt - 1 } };
  },
});
