/**
 * Units of scheduling: a single node, or a fused chain of streaming nodes that runs as one activity. Deterministic.
 */
import { planChains } from '../src/model/fusion';
import type { PipelineDefinition } from '../src/model/schema';

export interface Unit {
  /** The first node's id; keys running activities and checkpoints. */
  readonly key: string;
  /** Node ids in stream order; one for a plain node. */
  readonly members: readonly string[];
}

export interface UnitPlan {
  /** The unit a node starts, or undefined for a node inside a chain that is not its first. */
  startedBy(id: string): Unit | undefined;
  /** The unit a node belongs to. */
  of(id: string): Unit;
}

export function planUnits(definition: PipelineDefinition): UnitPlan {
  const units = new Map<string, Unit>();
  for (const chain of planChains(definition.nodes)) {
    const unit: Unit = { key: chain[0] as string, members: chain };
    for (const id of chain) units.set(id, unit);
  }
  const of = (id: string): Unit => units.get(id) ?? { key: id, members: [id] };
  return { of, startedBy: (id) => (of(id).key === id ? of(id) : undefined) };
}
