/** The pipelines of the scale benchmark, as definitions (what a user would write in YAML). */
import type { BenchDefinition } from '../dag/shapes';
import { layeredNoops } from '../dag/shapes';

export { seededRandom } from '../cache/zipf';

/** `count` noop nodes in a line: each needs the one before. */
export function linearNoops(count: number): BenchDefinition {
  const nodes = Array.from({ length: count }, (_, i) => ({
    id: `n${i + 1}`,
    type: 'noop',
    needs: i === 0 ? [] : [`n${i}`],
    params: {},
  }));
  return { name: `bench-linear-${count}`, defaults: { parallelism: 10 }, nodes };
}

/** 50 noop nodes, 5 layers of 10, each node needing two of the layer before; parallelism 10. */
export function branchingNoops(): BenchDefinition {
  return { ...layeredNoops(5, 10, 10), name: 'bench-branching-50' };
}

/** Retries of the flaky runs: short, exponential, with jitter, enough attempts that every node ends up succeeding. */
export const FLAKY_RETRY = {
  initialInterval: '100ms',
  backoffCoefficient: 2,
  maximumInterval: '1s',
  maximumAttempts: 6,
  jitter: 0.5,
} as const;

/**
 * `count` nodes in a line where each attempt fails with probability `failRate`: a `fail` node whose `attempts` is
 * drawn from that geometric distribution (capped below `maximumAttempts`), so runs succeed after their retries.
 */
export function flakyLinear(count: number, failRate: number, random: () => number): BenchDefinition {
  const nodes = Array.from({ length: count }, (_, i) => {
    let attempts = 0;
    while (attempts < FLAKY_RETRY.maximumAttempts - 1 && random() < failRate) attempts += 1;
    return { id: `n${i + 1}`, type: 'fail', needs: i === 0 ? [] : [`n${i}`], params: { attempts } };
  });
  return { name: `bench-flaky-${count}`, defaults: { parallelism: 10, retry: { ...FLAKY_RETRY } }, nodes };
}

/** How many node attempts a flaky definition makes, and how many of them fail. */
export function attemptsOf(definition: BenchDefinition): { attempts: number; failed: number } {
  let failed = 0;
  for (const n of definition.nodes) failed += (n.params as { attempts?: number }).attempts ?? 0;
  return { attempts: definition.nodes.length + failed, failed };
}
