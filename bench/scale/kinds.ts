/**
 * The two workflows every scenario runs: the `pipeline` interpreter given a definition, and the hand-written
 * workflow (bench/dag/baseline-workflow.ts) given the same DAG with the same activity options.
 */
import { handWrittenInput } from '../dag/noop-overhead';
import type { BenchDefinition } from '../dag/shapes';

export interface WorkflowKind {
  readonly label: 'pipewright' | 'hand-written';
  readonly type: string;
  /** The input of run `i` (runs may differ, as the flaky ones do). */
  input(i: number): unknown;
  /** Nodes per run. */
  readonly nodes: number;
}

/** Both kinds for definitions `of(i)`; `of` must give the same node count for every `i`. */
export function kindsOf(of: (i: number) => BenchDefinition): readonly [WorkflowKind, WorkflowKind] {
  const nodes = of(0).nodes.length;
  return [
    { label: 'pipewright', type: 'pipeline', input: (i) => ({ definition: of(i) }), nodes },
    { label: 'hand-written', type: 'handWrittenDag', input: (i) => handWrittenInput(of(i)), nodes },
  ];
}
