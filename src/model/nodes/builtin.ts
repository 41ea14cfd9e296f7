/** The engine's own node types: noop, sleep, fail. Their implementations are in `src/nodes/builtin.ts`. */
import { z } from 'zod';
import { DurationSchema } from '../schema';
import { describeNode } from './describe';

export const NoopParams = z.object({}).strict();

export const SleepParams = z
  .object({
    /** How long the node sleeps. It heartbeats meanwhile and stops at once when cancelled. */
    duration: DurationSchema,
  })
  .strict();

export const FailParams = z
  .object({
    /** Fail this many attempts, then succeed. Ignored when `always` is true. */
    attempts: z.number().int().min(0).default(1),
    /** Fail every attempt. */
    always: z.boolean().default(false),
    /** false makes the failure non-retryable: the node fails at its first attempt. */
    retryable: z.boolean().default(true),
    message: z.string().default('failed on purpose'),
    /** The failure's type, matched against a retry policy's `nonRetryableErrorTypes`. */
    errorType: z.string().default('IntentionalFailure'),
  })
  .strict();

export const noopDescription = describeNode({
  name: 'noop',
  description: 'Does nothing and succeeds; a join point or placeholder.',
  params: NoopParams,
});

export const sleepDescription = describeNode({
  name: 'sleep',
  description: 'Sleeps for `duration`, heartbeating; cancellable, and resumes the remaining time after a pause.',
  params: SleepParams,
});

export const failDescription = describeNode({
  name: 'fail',
  description: 'Fails its first `attempts` attempts (or `always`), retryable or not; for testing failure handling.',
  params: FailParams,
});
