/**
 * (b) 200 noop nodes in 20 layers of 10 (each node needs two of the layer before), parallelism 10: the interpreter
 * against the hand-written baseline workflow running the same activities in the same shape, interleaved.
 */
import { resolveNodeOptions, resolveParallelism } from '../../src/model/options';
import { validateDefinition } from '../../src/model/validate';
import type { HandWrittenDagInput } from './baseline-workflow';
import type { BenchEnv } from './env';
import type { RunPhases } from './history-phases';
import { runPhases } from './history-phases';
import { timedRun } from './run-workflow';
import type { BenchDefinition } from './shapes';
import { layeredNoops } from './shapes';

/** Wall times of both workflows, round by round, with the phases of each run. */
export interface NoopOverheadResult {
  readonly shape: string;
  readonly interpreterMs: readonly number[];
  readonly baselineMs: readonly number[];
  readonly interpreterPhases: readonly RunPhases[];
  readonly baselinePhases: readonly RunPhases[];
}

/** The hand-written workflow's input for `definition`, after the validation and option resolution the interpreter applies. */
export function handWrittenInput(definition: BenchDefinition): HandWrittenDagInput {
  const valid = validateDefinition(definition);
  if (!valid.ok) throw new Error(`bench DAG is invalid: ${JSON.stringify(valid.problems)}`);
  const { nodes, defaults, name, version } = valid.definition;
  return {
    pipeline: { name, version },
    nodes,
    parallelism: resolveParallelism(defaults),
    // Every node inherits the same defaults, so one resolution stands for all of them.
    options: resolveNodeOptions(nodes[0] as (typeof nodes)[number], defaults),
  };
}

/** Alternates interpreter and baseline runs for `rounds` rounds (who goes first alternates too) after a warm-up. */
export async function benchNoopOverhead(
  env: BenchEnv,
  { layers = 20, width = 10, parallelism = 10, rounds = 5 } = {},
): Promise<NoopOverheadResult> {
  const definition = layeredNoops(layers, width, parallelism);
  const baselineInput = handWrittenInput(definition);
  const kinds = {
    interpreter: { type: 'pipeline', input: { definition }, ms: [] as number[], phases: [] as RunPhases[] },
    baseline: { type: 'handWrittenDag', input: baselineInput, ms: [] as number[], phases: [] as RunPhases[] },
  };
  for (let round = 0; round <= rounds; round++) {
    const order = round % 2 ? [kinds.baseline, kinds.interpreter] : [kinds.interpreter, kinds.baseline];
    for (const kind of order) {
      const run = await timedRun(env.client, env.taskQueue, kind.type, kind.input, 60_000);
      // Round 0 warms both up (bundle loading, JIT, server caches) and is not counted.
      if (round === 0) continue;
      kind.ms.push(run.ms);
      kind.phases.push(runPhases(await run.handle.fetchHistory()));
    }
  }
  return {
    shape: `${layers} layers x ${width} noop nodes, each needing 2 of the layer before; parallelism ${parallelism}`,
    interpreterMs: kinds.interpreter.ms,
    baselineMs: kinds.baseline.ms,
    interpreterPhases: kinds.interpreter.phases,
    baselinePhases: kinds.baseline.phases,
  };
}
