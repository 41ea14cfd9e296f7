/**
 * Durations in definitions: a number of milliseconds, or a string such as `250ms`, `5s`, `2m`, `1h`, `1d`.
 * Pure: bundled into workflow code.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

/** The form a duration takes in a definition. */
export type DurationInput = number | string;

/** Parses a duration to milliseconds, or returns undefined when the text is not a duration. */
export function parseDuration(value: DurationInput): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  const match = DURATION_RE.exec(value.trim());
  if (!match) return undefined;
  const [, amount, unit] = match;
  return Math.round(Number(amount) * (UNIT_MS[unit ?? 'ms'] ?? 1));
}

/** {@link durationMs} of an optional value. */
export const optionalDurationMs = (value: DurationInput | undefined): number | undefined =>
  value === undefined ? undefined : durationMs(value);

/** Like {@link parseDuration} but throws; use only on values that passed schema validation. */
export function durationMs(value: DurationInput): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new Error(`not a duration: ${JSON.stringify(value)}`);
  return ms;
}

/** Formats milliseconds compactly for people (`1.5s`, `250ms`, `2m3s`). */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return `${minutes}m${seconds}s`;
}

/** A retention for people: `off`, or whole days (`90d`) or else {@link formatDuration}. */
export function formatRetention(ms: number | undefined): string {
  if (ms === undefined) return 'off';
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : formatDuration(ms);
}
