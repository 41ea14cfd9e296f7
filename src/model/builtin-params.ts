/**
 * Params schemas of the built-in node types. Pure (zod only), so the workflow validates them too;
 * the implementations live in `src/nodes/`.
 */
import { z } from 'zod';
import { DurationSchema } from './schema';

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

/** The built-in types: name to params schema. */
export const BUILTIN_PARAMS = {
  noop: NoopParams,
  sleep: SleepParams,
  fail: FailParams,
} as const;
