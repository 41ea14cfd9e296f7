/**
 * When a schedule fires and what it does when runs overlap: a cron expression or an interval (with an offset), a
 * time zone, jitter, the catch-up window and the overlap policy. Checked before a schedule is created; every problem
 * names the option. Pure.
 */
import { isTimeZone } from '../expr/date-functions';
import { parseDuration, type DurationInput } from '../duration';
import { cronProblem } from './cron';

/** What a schedule does with a fire while an earlier run of it is still running (Temporal's overlap policies). */
export const OVERLAP_POLICIES = [
  'skip',
  'buffer-one',
  'buffer-all',
  'cancel-other',
  'terminate-other',
  'allow-all',
] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

export interface ScheduleTiming {
  /** Five cron fields (minute hour day-of-month month day-of-week) or a shortcut such as `@daily`. */
  readonly cron?: string;
  /** Fires every interval (`1h`, `15m`), counted from the Unix epoch plus `offset`. */
  readonly every?: DurationInput;
  readonly offset?: DurationInput;
  /** IANA time zone for cron expressions (default UTC). */
  readonly timezone?: string;
  /** Each fire is delayed by a random amount up to this. */
  readonly jitter?: DurationInput;
  /** How late a missed fire (server down, schedule paused) may still run; default 1 year (Temporal's). */
  readonly catchupWindow?: DurationInput;
  /** Default `skip`. */
  readonly overlap?: OverlapPolicy;
}

const TIMING_KEYS = ['cron', 'every', 'offset', 'timezone', 'jitter', 'catchupWindow', 'overlap'] as const;

/** The timing fields of `options` that are set (an update changes only those). */
export function pickTiming(options: ScheduleTiming): ScheduleTiming {
  const out: Record<string, unknown> = {};
  for (const k of TIMING_KEYS) if (options[k] !== undefined) out[k] = options[k];
  return out as ScheduleTiming;
}

export interface TimingProblem {
  /** The option, as the CLI names it (`--cron`, `--every`, ...). */
  readonly option: string;
  readonly message: string;
}

const durationOk = (v: DurationInput | undefined): boolean => v === undefined || parseDuration(v) !== undefined;
const DURATION_HINT = 'expected a duration such as "30s", "5m", "1h", "1d"';

/** Every problem with `timing`. */
export function timingProblems(timing: ScheduleTiming): TimingProblem[] {
  const problems: TimingProblem[] = [];
  const add = (option: string, message: string): void => void problems.push({ option, message });
  if ((timing.cron === undefined) === (timing.every === undefined))
    add('--cron', 'give exactly one of --cron "<minute hour day-of-month month day-of-week>" or --every <interval>');
  if (timing.cron !== undefined) {
    const problem = cronProblem(timing.cron);
    if (problem) add('--cron', problem);
  }
  if (timing.every !== undefined) {
    const every = parseDuration(timing.every);
    if (every === undefined) add('--every', `${DURATION_HINT}, got ${JSON.stringify(timing.every)}`);
    else if (every < 1000) add('--every', 'the interval must be at least 1s');
    const offset = timing.offset === undefined ? 0 : parseDuration(timing.offset);
    if (offset === undefined) add('--offset', `${DURATION_HINT}, got ${JSON.stringify(timing.offset)}`);
    else if (every !== undefined && offset >= every) add('--offset', 'the offset must be shorter than the interval');
  } else if (timing.offset !== undefined) add('--offset', '--offset applies to --every');
  if (timing.timezone !== undefined && !isTimeZone(timing.timezone))
    add('--timezone', `unknown time zone "${timing.timezone}"; use an IANA name such as "Europe/Berlin" or "UTC"`);
  if (!durationOk(timing.jitter)) add('--jitter', `${DURATION_HINT}, got ${JSON.stringify(timing.jitter)}`);
  if (!durationOk(timing.catchupWindow))
    add('--catchup-window', `${DURATION_HINT}, got ${JSON.stringify(timing.catchupWindow)}`);
  else if (timing.catchupWindow !== undefined && (parseDuration(timing.catchupWindow) ?? 0) < 10_000)
    add('--catchup-window', 'the catch-up window must be at least 10s (Temporal refuses shorter ones)');
  if (timing.overlap !== undefined && !OVERLAP_POLICIES.includes(timing.overlap))
    add('--overlap', `unknown policy "${String(timing.overlap)}"; use one of ${OVERLAP_POLICIES.join(', ')}`);
  return problems;
}
