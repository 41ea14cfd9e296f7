/** Resolves a node's effective execution options from the node, the pipeline defaults and the engine defaults. Pure. */
import type { BreakerOverrides } from './breaker-settings';
import { mergeBreakerOverrides } from './breaker-settings';
import { optionalDurationMs } from './duration';
import { DEFAULTS } from './limits';
import type { FailurePolicy, NodeDefinition, PipelineDefaults, RetrySpec } from './schema';

export interface ResolvedRetry {
  readonly initialIntervalMs: number;
  readonly backoffCoefficient: number;
  readonly maximumIntervalMs: number;
  /** 0 means unlimited. */
  readonly maximumAttempts: number;
  readonly nonRetryableErrorTypes: readonly string[];
  /** 0 to 1: the random share of each retry delay, applied by the activity layer. */
  readonly jitter: number;
}

export interface ResolvedNodeOptions {
  readonly timeoutMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly retry: ResolvedRetry;
  readonly onFailure: FailurePolicy;
  /** The workers' task queue; undefined for the run's own. */
  readonly taskQueue?: string;
}

/** Node settings win over pipeline defaults, which win over engine defaults; retry fields merge one by one. */
export function resolveRetry(...specs: Array<RetrySpec | undefined>): ResolvedRetry {
  const pick = <K extends keyof RetrySpec>(key: K): RetrySpec[K] => specs.find((s) => s?.[key] !== undefined)?.[key];
  return {
    initialIntervalMs: optionalDurationMs(pick('initialInterval')) ?? DEFAULTS.retry.initialIntervalMs,
    backoffCoefficient: pick('backoffCoefficient') ?? DEFAULTS.retry.backoffCoefficient,
    maximumIntervalMs: optionalDurationMs(pick('maximumInterval')) ?? DEFAULTS.retry.maximumIntervalMs,
    maximumAttempts: pick('maximumAttempts') ?? DEFAULTS.retry.maximumAttempts,
    nonRetryableErrorTypes: pick('nonRetryableErrorTypes') ?? DEFAULTS.retry.nonRetryableErrorTypes,
    jitter: pick('jitter') ?? DEFAULTS.retry.jitter,
  };
}

export function resolveNodeOptions(node: NodeDefinition, defaults: PipelineDefaults): ResolvedNodeOptions {
  return {
    timeoutMs: optionalDurationMs(node.timeout ?? defaults.timeout) ?? DEFAULTS.timeoutMs,
    heartbeatTimeoutMs:
      optionalDurationMs(node.heartbeatTimeout ?? defaults.heartbeatTimeout) ?? DEFAULTS.heartbeatTimeoutMs,
    retry: resolveRetry(node.retry, defaults.retry),
    onFailure: node.onFailure ?? defaults.onFailure ?? DEFAULTS.onFailure,
    ...((node.taskQueue ?? defaults.taskQueue) ? { taskQueue: node.taskQueue ?? defaults.taskQueue } : {}),
  };
}

/** A node's breaker settings over the pipeline's `defaults.breaker`, field by field; undefined without any. */
export function resolveNodeBreaker(node: NodeDefinition, defaults: PipelineDefaults): BreakerOverrides | undefined {
  return mergeBreakerOverrides(node.breaker, defaults.breaker);
}

export function resolveParallelism(defaults: PipelineDefaults, override?: number): number {
  return override ?? defaults.parallelism ?? DEFAULTS.parallelism;
}
