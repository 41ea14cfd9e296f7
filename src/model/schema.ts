/**
 * zod schemas for pipeline definitions (YAML, JSON or plain objects). Pure: bundled into workflow code.
 * Structural checks live here; cross-node checks (duplicates, needs, cycles, types, limits) in `validate.ts`.
 */
import { z } from 'zod';
import { BreakerOverridesSchema } from './breaker-settings';
import { parseDuration, type DurationInput } from './duration';
import { NotifySchema } from './notify';
import { ParamsSchema } from './params/schema';

/** Pipeline names and node ids: readable, safe in workflow ids, activity ids and (later) SQL identifiers. */
export const NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
const NAME_HINT = 'start with a letter, then letters, digits, "_" or "-", at most 63 characters';

export const DurationSchema = z.union([z.number(), z.string()]).refine((v) => parseDuration(v) !== undefined, {
  message: 'expected a duration: milliseconds as a number, or a string like "250ms", "5s", "2m", "1h"',
});

export const TaskQueueSchema = z
  .string()
  .min(1, 'a task queue name is not empty')
  .max(200, 'a task queue name is at most 200 characters')
  .regex(/^\S+$/, 'a task queue name has no spaces');

export const RetrySchema = z
  .object({
    initialInterval: DurationSchema.optional(),
    backoffCoefficient: z.number().optional(),
    maximumInterval: DurationSchema.optional(),
    /** 0 means unlimited (bounded by the node's timeout). */
    maximumAttempts: z.number().int().optional(),
    nonRetryableErrorTypes: z.array(z.string().min(1)).optional(),
    /**
     * 0 to 1: how much of each retry delay is random (0, the default, keeps Temporal's exact delays). Each delay
     * lies between (1 - jitter) and 1 times the exponential delay, which stays capped by maximumInterval.
     */
    jitter: z.number().min(0, 'jitter must be between 0 and 1').max(1, 'jitter must be between 0 and 1').optional(),
  })
  .strict();
export type RetrySpec = z.infer<typeof RetrySchema>;

export const FAILURE_POLICIES = ['fail-fast', 'continue', 'hold'] as const;
export const FailurePolicySchema = z.enum(FAILURE_POLICIES);
export type FailurePolicy = z.infer<typeof FailurePolicySchema>;

/**
 * Memoization of a node (`cache: { ttl: 1h }`): a later run with the same node type, params, `key` and input
 * fingerprints within `ttl` reuses this run's output instead of running the node.
 */
export const NodeCacheSchema = z
  .object({
    /** How long the output is reused. */
    ttl: z.unknown().transform((v, ctx): DurationInput => {
      const ms = typeof v === 'number' || typeof v === 'string' ? parseDuration(v) : undefined;
      const message =
        v === undefined
          ? 'ttl is required: how long the output is reused, e.g. "1h"'
          : ms === undefined
            ? 'expected a duration: milliseconds as a number, or a string like "250ms", "5s", "2m", "1h"'
            : ms === 0
              ? 'ttl must be longer than 0'
              : undefined;
      if (message) ctx.addIssue({ code: 'custom', message });
      return v as DurationInput;
    }),
    /** Part of the fingerprint: change it (a data version, a date) to stop reusing earlier outputs. */
    key: z.string().min(1, 'key must not be empty').max(200, 'key is at most 200 characters').optional(),
  })
  .strict();
export type NodeCacheSpec = z.infer<typeof NodeCacheSchema>;

export const NodeSchema = z
  .object({
    id: z.string().regex(NAME_RE, `node id must ${NAME_HINT}`),
    type: z.string().min(1, 'node type is required'),
    description: z.string().optional(),
    params: z.record(z.unknown()).default({}),
    needs: z.array(z.string()).default([]),
    retry: RetrySchema.optional(),
    timeout: DurationSchema.optional(),
    heartbeatTimeout: DurationSchema.optional(),
    onFailure: FailurePolicySchema.optional(),
    /** false keeps a streaming node out of fused chains (it then reads and writes a staging table). */
    fuse: z.boolean().optional(),
    /** Circuit breaker settings for the resources this node calls, over the worker's (see docs/resilience.md). */
    breaker: BreakerOverridesSchema.optional(),
    /** Reuse the output of an earlier run with the same inputs; such a node always runs on its own (not fused). */
    cache: NodeCacheSchema.optional(),
    /** The task queue of the workers that run this node (default the run's); nodes on different queues never fuse. */
    taskQueue: TaskQueueSchema.optional(),
  })
  .strict();
export type NodeDefinition = z.infer<typeof NodeSchema>;

export const DefaultsSchema = z
  .object({
    parallelism: z.number().int().optional(),
    timeout: DurationSchema.optional(),
    heartbeatTimeout: DurationSchema.optional(),
    retry: RetrySchema.optional(),
    onFailure: FailurePolicySchema.optional(),
    /** The task queue of the workers that run the nodes (default the run's own). */
    taskQueue: TaskQueueSchema.optional(),
    /** With `onFailure: hold`: how long a held node waits for an operator before the run fails as fail-fast would. */
    holdTimeout: DurationSchema.optional(),
    breaker: BreakerOverridesSchema.optional(),
  })
  .strict();
export type PipelineDefaults = z.infer<typeof DefaultsSchema>;

export const PipelineSchema = z
  .object({
    name: z.string().regex(NAME_RE, `pipeline name must ${NAME_HINT}`),
    version: z
      .union([z.string().min(1), z.number()])
      .transform(String)
      .default('1'),
    description: z.string().optional(),
    /** Run parameters: each run gets a value for each (see `params/schema.ts`); node params read them in templates. */
    params: ParamsSchema.optional(),
    defaults: DefaultsSchema.default({}),
    nodes: z.array(NodeSchema).min(1, 'a pipeline needs at least one node'),
    /** Webhook notifications of run events (see `notify.ts`). */
    notify: NotifySchema.optional(),
  })
  .strict();
/** A definition as written (before validation). */
export type PipelineDefinitionInput = z.input<typeof PipelineSchema>;
/** A definition after validation, with defaults filled in. */
export type PipelineDefinition = z.infer<typeof PipelineSchema>;
