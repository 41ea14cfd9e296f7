/**
 * The quick variants the regression gate runs: each a benchmark as `npm run` runs it, at a smaller size, with its
 * figures taken as medians of repetitions, and the command that investigates a failure (the whole benchmark).
 */

export interface QuickBench {
  /** The prefix of its ratios' names in bench/baseline.json. */
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  /** What to run to look into a failed ratio of this bench. */
  readonly investigate: string;
}

export const QUICK_BENCHES: readonly QuickBench[] = [
  {
    // 200K rows: append, upsert (empty and full target), dirty CSV and Parquet; each ratio the median of its rounds'.
    name: 'load',
    script: 'bench:load',
    args: ['--rows', '200000', '--rounds', '7', '--upsert-rounds', '3', '--dirty-rounds', '5', '--rss-rows', '0'],
    env: {},
    investigate: 'npm run bench:load',
  },
  {
    name: 'cli',
    script: 'bench:cli',
    args: [],
    env: { RUNS: '7' },
    investigate: 'npm run bench:cli',
  },
  {
    name: 'geoWire',
    script: 'bench:geo-wire',
    args: [],
    env: { POINTS: '100000', ROUNDS: '7' },
    investigate: 'npm run bench:geo-wire',
  },
  {
    name: 'parquet',
    script: 'bench:parquet',
    args: [],
    env: { QUICK: '1' },
    investigate: 'npm run bench:parquet',
  },
];
