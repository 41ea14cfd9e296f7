/** Limits and defaults of the engine. Pure. */

/** Temporal allows at most 2,000 pending activities per execution. */
export const MAX_PARALLELISM = 2_000;
export const MAX_NODES = 10_000;

/** Records per load batch (one transaction and one ledger row) unless a sink sets `batchRows`. */
export const DEFAULT_BATCH_ROWS = 100_000;

export const DEFAULTS = {
  parallelism: 8,
  timeoutMs: 60 * 60_000,
  heartbeatTimeoutMs: 60_000,
  onFailure: 'fail-fast',
  retry: {
    initialIntervalMs: 1_000,
    backoffCoefficient: 2,
    maximumIntervalMs: 60_000,
    maximumAttempts: 5,
    nonRetryableErrorTypes: [] as string[],
    jitter: 0,
  },
} as const;
