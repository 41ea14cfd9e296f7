/** The DAGs the benchmarks run, as pipeline definitions (what a user would write in YAML). */

/** A definition as the `pipeline` workflow takes it. */
export interface BenchDefinition {
  readonly name: string;
  readonly defaults: { readonly parallelism: number; readonly retry?: Record<string, unknown> };
  readonly nodes: { readonly id: string; readonly type: string; readonly needs: string[]; params: object }[];
}

/** `count` independent sleep nodes: the critical path is one node, so the wall time over `ms` is pure overhead. */
export function parallelSleeps(count: number, ms: number): BenchDefinition {
  const nodes = Array.from({ length: count }, (_, i) => ({
    id: `sleep-${i + 1}`,
    type: 'sleep',
    needs: [],
    params: { duration: `${ms}ms` },
  }));
  return { name: 'bench-parallel-sleep', defaults: { parallelism: count }, nodes };
}

/**
 * `layers` x `width` noop nodes; node j of layer i needs nodes j and j+1 (mod width) of layer i-1, so each layer
 * waits for two upstream nodes per node rather than a whole-layer barrier, as a partitioned ETL would.
 */
export function layeredNoops(layers: number, width: number, parallelism: number): BenchDefinition {
  const id = (layer: number, j: number): string => `l${layer}-n${j}`;
  const nodes = [];
  for (let layer = 1; layer <= layers; layer++)
    for (let j = 0; j < width; j++) {
      const needs = layer === 1 ? [] : [...new Set([id(layer - 1, j), id(layer - 1, (j + 1) % width)])];
      nodes.push({ id: id(layer, j), type: 'noop', needs, params: {} });
    }
  return { name: 'bench-layered-noop', defaults: { parallelism }, nodes };
}

/** One long sleep node: a run that stays busy while the pause benchmark sends its updates. */
export function longSleep(ms: number): BenchDefinition {
  return {
    name: 'bench-pause',
    defaults: { parallelism: 1 },
    nodes: [{ id: 'busy', type: 'sleep', needs: [], params: { duration: `${ms}ms` } }],
  };
}
