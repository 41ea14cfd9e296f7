/** The gate's judgement of one ratio against its baseline: pure, so that the rule is in one place. */
import { median } from '../dag/stats';
import type { Ratio } from './ratios';

/** A ratio more than this share worse than its baseline fails. */
export const TOLERANCE = 0.1;

export interface Verdict {
  readonly name: string;
  /** The ratio judged: the median of the runs' values. */
  readonly value: number;
  readonly runs: readonly number[];
  readonly baseline: number;
  readonly better: Ratio['better'];
  /** How much worse than the baseline (negative: better), as a share of it. */
  readonly worse: number;
  readonly ok: boolean;
}

export function judge(name: string, runs: readonly number[], baseline: Ratio): Verdict {
  const value = median(runs);
  const worse =
    baseline.better === 'higher'
      ? (baseline.value - value) / baseline.value
      : (value - baseline.value) / baseline.value;
  return { name, value, runs, baseline: baseline.value, better: baseline.better, worse, ok: worse <= TOLERANCE };
}
