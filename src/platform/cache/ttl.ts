/** Entry lifetimes: a TTL shortened at random by up to `jitter` of it, never below 1 ms. */

export function jitteredTtl(ttlMs: number, jitter: number, random: () => number = Math.random): number {
  if (jitter <= 0) return ttlMs;
  return Math.max(1, Math.round(ttlMs * (1 - jitter * random())));
}
