/**
 * How a benchmark hands its same-run ratios to the regression gate (bench/check/check.ts): when the gate runs it,
 * BENCH_RATIOS_FILE names a JSON file, and the bench adds `{ "<bench>.<name>": value }` to it. Run by hand, a bench
 * writes nothing.
 */
import fs from 'node:fs';

export function recordRatios(bench: string, ratios: Record<string, number>): void {
  const file = process.env.BENCH_RATIOS_FILE;
  if (!file) return;
  const known = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>) : {};
  for (const [name, value] of Object.entries(ratios)) known[`${bench}.${name}`] = value;
  fs.writeFileSync(file, JSON.stringify(known, null, 2));
}
