/** Built-in node types: noop, sleep, fail. Their params schemas live in `src/dag/builtin-params.ts`. */
import { ApplicationFailure } from '@temporalio/common';
import { FailParams, NoopParams, SleepParams } from '../model/builtin-params';
import { durationMs } from '../model/duration';
import type { NodeType } from './node-type';
import { defineNodeType } from './node-type';

export const noopNode = defineNodeType({
  name: 'noop',
  description: 'Does nothing and succeeds; a join point or placeholder.',
  params: NoopParams,
  run: async () => ({ stats: {} }),
});

interface SleepCheckpoint {
  readonly sleptMs: number;
}

const SLEEP_SLICE_MS = 1_000;

export const sleepNode = defineNodeType({
  name: 'sleep',
  description: 'Sleeps for `duration`, heartbeating; cancellable, and resumes the remaining time after a pause.',
  params: SleepParams,
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

export const failNode = defineNodeType({
  name: 'fail',
  description: 'Fails its first `attempts` attempts (or `always`), retryable or not; for testing failure handling.',
  params: FailParams,
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

export const BUILTIN_NODE_TYPES: readonly NodeType<never>[] = [noopNode, sleepNode, failNode] as NodeType<never>[];
