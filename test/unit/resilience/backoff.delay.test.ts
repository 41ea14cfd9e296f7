import { backoffDelayMs, circuitOpenDelayMs, exponentialDelayMs } from '../../../src/platform/resilience/backoff';

const policy = { initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 10_000 };

describe('exponential delay', () => {
  it('is initialInterval * coefficient^(attempt-1), capped at maximumInterval', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => exponentialDelayMs(policy, a))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it('treats a coefficient under 1 and attempts under 1 as 1', () => {
    expect(exponentialDelayMs({ ...policy, backoffCoefficient: 0.5 }, 4)).toBe(1_000);
    expect(exponentialDelayMs(policy, 0)).toBe(1_000);
  });
});

describe('jittered delay', () => {
  it('without jitter is the exponential delay exactly', () => {
    expect(backoffDelayMs(policy, 3, () => 0.99)).toBe(4_000);
  });

  it('with jitter j lies in [d * (1 - j), d]: the random share scales the delay down', () => {
    const j = { ...policy, jitter: 0.5 };
    expect(backoffDelayMs(j, 3, () => 0)).toBe(4_000);
    expect(backoffDelayMs(j, 3, () => 0.5)).toBe(3_000);
    expect(backoffDelayMs(j, 3, () => 0.999999)).toBe(2_000);
    // Capped first, then jittered: never above maximumInterval.
    expect(backoffDelayMs(j, 10, () => 0)).toBe(10_000);
    expect(backoffDelayMs(j, 10, () => 0.5)).toBe(7_500);
  });

  it('spreads delays over the whole range with a real random source', () => {
    const delays = Array.from({ length: 500 }, () => backoffDelayMs({ ...policy, jitter: 1 }, 2));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2_000);
    expect(Math.min(...delays)).toBeLessThan(400);
    expect(Math.max(...delays)).toBeGreaterThan(1_600);
  });

  it('clamps jitter outside 0..1 and a broken random source', () => {
    expect(backoffDelayMs({ ...policy, jitter: 7 }, 1, () => 0.5)).toBe(500);
    expect(backoffDelayMs({ ...policy, jitter: -1 }, 1, () => 0.5)).toBe(1_000);
    expect(backoffDelayMs({ ...policy, jitter: 0.5 }, 1, () => Number.NaN)).toBe(1_000);
  });

  it('is at least 1ms', () => {
    expect(backoffDelayMs({ ...policy, jitter: 1 }, 1, () => 1)).toBe(1);
  });
});

describe('CircuitOpen delay', () => {
  it('waits until half-open plus a spread of max(jitter, 10%) of the reset timeout, at least 100ms', () => {
    expect(circuitOpenDelayMs(4_000, 30_000, 0, () => 0)).toBe(4_000);
    expect(circuitOpenDelayMs(4_000, 30_000, 0, () => 0.5)).toBe(5_500);
    expect(circuitOpenDelayMs(4_000, 30_000, 0.5, () => 0.5)).toBe(11_500);
    expect(circuitOpenDelayMs(0, 500, 0, () => 0.5)).toBe(50);
    expect(circuitOpenDelayMs(-20, 500, 0, () => 0)).toBe(1);
  });
});
