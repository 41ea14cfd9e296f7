/** Timing helpers: operations per second over a fixed time, best of a few rounds after a warm-up. */

export interface Rate {
  readonly opsPerSec: number;
  readonly ops: number;
  readonly ms: number;
}

/** Runs `batch` (which does `n` operations and returns a checksum) until `ms` have passed; the best of `rounds`. */
export function syncRate(
  batch: (n: number) => number,
  options: { ms?: number; rounds?: number; n?: number } = {},
): Rate {
  const ms = options.ms ?? 700;
  const n = options.n ?? 100_000;
  let best: Rate = { opsPerSec: 0, ops: 0, ms: 0 };
  let sink = 0;
  sink += batch(n); // warm-up: let the JIT compile the loop
  for (let r = 0; r < (options.rounds ?? 3); r++) {
    let ops = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms) {
      sink += batch(n);
      ops += n;
      t = performance.now();
    }
    const rate = { opsPerSec: (ops / (t - t0)) * 1000, ops, ms: t - t0 };
    if (rate.opsPerSec > best.opsPerSec) best = rate;
  }
  if (sink === Number.MIN_SAFE_INTEGER) console.log(sink); // keeps the work observable
  return best;
}

/**
 * Like {@link syncRate} for several cases at once, their rounds interleaved (a, b, c, a, b, c, ...), so that a
 * busy moment of a shared machine does not fall on one case alone; the best round of each.
 */
export function interleavedRates<K extends string>(
  cases: Record<K, (n: number) => number>,
  options: { ms?: number; rounds?: number; n?: number } = {},
): Record<K, Rate> {
  const best = {} as Record<K, Rate>;
  const names = Object.keys(cases) as K[];
  for (const name of names) best[name] = { opsPerSec: 0, ops: 0, ms: 0 };
  for (let r = 0; r < (options.rounds ?? 5); r++)
    for (const name of names) {
      const rate = syncRate(cases[name], { ms: options.ms ?? 300, rounds: 1, n: options.n });
      if (rate.opsPerSec > best[name].opsPerSec) best[name] = rate;
    }
  return best;
}

/** `workers` concurrent loops of `op` for `ms`; operations per second overall. */
export async function concurrentRate(
  op: (i: number) => Promise<unknown>,
  options: { ms: number; workers: number },
): Promise<Rate> {
  let ops = 0;
  const t0 = performance.now();
  const deadline = t0 + options.ms;
  await Promise.all(
    Array.from({ length: options.workers }, async (_, w) => {
      let i = w;
      while (performance.now() < deadline) {
        await op(i);
        i += options.workers;
        ops++;
      }
    }),
  );
  const ms = performance.now() - t0;
  return { opsPerSec: (ops / ms) * 1000, ops, ms };
}

export const fmtRate = (r: number): string =>
  r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : r >= 1e3 ? `${(r / 1e3).toFixed(1)} K/s` : `${r.toFixed(0)}/s`;

export const fmtPct = (x: number): string => `${(x * 100).toFixed(1)} %`;
