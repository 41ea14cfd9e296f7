/**
 * Circuit breaker settings: the engine defaults, the zod schema of overrides (per resource in the configuration,
 * per node and in `defaults` of a definition) and how they merge. Pure (zod only): the definition schema, which
 * is bundled into workflow code, uses it.
 */
import { z } from 'zod';
import { optionalDurationMs, parseDuration } from './duration';

/** Effective settings of one breaker, in milliseconds and plain numbers. */
export interface BreakerSettings {
  /** A call (a new Postgres connection, an HTTP request) taking longer than this counts as a failure. */
  readonly timeoutMs: number;
  /** The breaker opens when more than this percentage of the calls in the rolling window failed. */
  readonly errorThresholdPercentage: number;
  /** Calls in the rolling window before the percentage is looked at. */
  readonly volumeThreshold: number;
  /** How long an open breaker refuses calls before it lets one trial call through (half-open). */
  readonly resetTimeoutMs: number;
  /** The window over which failures are counted (ten buckets). */
  readonly rollingWindowMs: number;
}

export const BREAKER_DEFAULTS: BreakerSettings = Object.freeze({
  timeoutMs: 10_000,
  errorThresholdPercentage: 50,
  // A node retrying with backoff makes a few calls a minute: three calls in half a minute, more than half of them
  // failed, say the resource is down. Busier resources reach the volume in moments.
  volumeThreshold: 3,
  resetTimeoutMs: 30_000,
  rollingWindowMs: 30_000,
});

/** Bounds of each setting, shared by the definition schema and the environment. */
export const BREAKER_LIMITS = {
  timeoutMs: { min: 1, max: 3_600_000 },
  errorThresholdPercentage: { min: 1, max: 99 },
  volumeThreshold: { min: 0, max: 1_000_000 },
  resetTimeoutMs: { min: 10, max: 3_600_000 },
  // Ten buckets of at least 10ms each.
  rollingWindowMs: { min: 100, max: 3_600_000 },
} as const;

const boundedDuration = (what: string, { min, max }: { min: number; max: number }) =>
  z.union([z.number(), z.string()]).superRefine((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined)
      ctx.addIssue({
        code: 'custom',
        message: `${what}: expected a duration: milliseconds as a number, or a string like "250ms", "5s", "2m"`,
      });
    else if (ms < min || ms > max)
      ctx.addIssue({ code: 'custom', message: `${what} must be between ${min}ms and ${max}ms, got ${ms}ms` });
  });

const boundedNumber = (what: string, { min, max }: { min: number; max: number }, int: boolean) =>
  (int ? z.number().int(`${what} must be a whole number`) : z.number())
    .min(min, `${what} must be between ${min} and ${max}`)
    .max(max, `${what} must be between ${min} and ${max}`);

/** Overrides of breaker settings, as written in a definition (`breaker:`) or in PIPEWRIGHT_BREAKER_OVERRIDES. */
export const BreakerOverridesSchema = z
  .object({
    timeout: boundedDuration('timeout', BREAKER_LIMITS.timeoutMs).optional(),
    errorThresholdPercentage: boundedNumber(
      'errorThresholdPercentage',
      BREAKER_LIMITS.errorThresholdPercentage,
      false,
    ).optional(),
    volumeThreshold: boundedNumber('volumeThreshold', BREAKER_LIMITS.volumeThreshold, true).optional(),
    resetTimeout: boundedDuration('resetTimeout', BREAKER_LIMITS.resetTimeoutMs).optional(),
    rollingWindow: boundedDuration('rollingWindow', BREAKER_LIMITS.rollingWindowMs).optional(),
  })
  .strict();
export type BreakerOverrides = z.infer<typeof BreakerOverridesSchema>;

/** `base` with each override applied in order (later ones win), field by field. */
export function applyBreakerOverrides(
  base: BreakerSettings,
  ...overrides: ReadonlyArray<BreakerOverrides | undefined>
): BreakerSettings {
  let out = base;
  for (const o of overrides) {
    if (!o) continue;
    out = {
      timeoutMs: optionalDurationMs(o.timeout) ?? out.timeoutMs,
      errorThresholdPercentage: o.errorThresholdPercentage ?? out.errorThresholdPercentage,
      volumeThreshold: o.volumeThreshold ?? out.volumeThreshold,
      resetTimeoutMs: optionalDurationMs(o.resetTimeout) ?? out.resetTimeoutMs,
      rollingWindowMs: optionalDurationMs(o.rollingWindow) ?? out.rollingWindowMs,
    };
  }
  return out;
}

/** A node's overrides merged over the pipeline's `defaults.breaker`, field by field; undefined when neither sets any. */
export function mergeBreakerOverrides(
  node: BreakerOverrides | undefined,
  defaults: BreakerOverrides | undefined,
): BreakerOverrides | undefined {
  if (!node && !defaults) return undefined;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(node ?? {})) if (v !== undefined) merged[k] = v;
  return Object.keys(merged).length > 0 ? (merged as BreakerOverrides) : undefined;
}

/** A short, stable description of overrides, e.g. `resetTimeout=5s,volumeThreshold=3`; empty without any. */
export function describeOverrides(o: BreakerOverrides | undefined): string {
  if (!o) return '';
  return Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}
