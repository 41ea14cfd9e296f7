/**
 * How a benchmark hands its same-run ratios to the regression gate (bench/check/check.ts): when the gate runs it,
 * BENCH_RATIOS_FILE names a JSON file, and the bench adds `{ "<bench>.<name>": { value, better } }` to it. Run by
 * hand, a bench writes nothing.
 */
import fs from 'node:fs';

/** A same-run ratio, and which way is better: `higher` (e.g. psql's time over ours) or `lower` (ours over a floor). */
export interface Ratio {
  readonly value: number;
  readonly better: 'higher' | 'lower';
}

export type Ratios = Record<string, Ratio>;

export function readRatios(file: string): Ratios {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Ratios) : {};
}

export function recordRatios(bench: string, ratios: Record<string, number>, better: Ratio['better']): void {
  const file = process.env.BENCH_RATIOS_FILE;
  if (!file) return;
  const known = readRatios(file);
  for (const [name, value] of Object.entries(ratios)) known[`${bench}.${name}`] = { value, better };
  fs.writeFileSync(file, JSON.stringify(known, null, 2));
}
