/**
 * What a picture of a pipeline shows: its nodes with their types and needs, the fused chains (each runs as one
 * activity), and for a run each node's state and a few lines about it. Every renderer draws this one shape. Pure.
 */
import type { FusableNode } from '../model/fusion';
import { planChains } from '../model/fusion';
import type { PipelineDefinition } from '../model/schema';
import type { NodeState } from '../model/state';

export interface GraphNode {
  readonly id: string;
  readonly type: string;
  readonly needs: readonly string[];
  /** In a picture of a run: the node's state, which colours it. */
  readonly state?: NodeState;
  /** Short lines drawn under the id and the type (state, rows, attempts, duration, a clipped error). */
  readonly details?: readonly string[];
  /** Longer text for a tooltip where the format has one (the whole error). */
  readonly note?: string;
}

export interface PipelineGraph {
  /** `fanout-demo@1`, or a run's id and state. */
  readonly title: string;
  /** In definition order. */
  readonly nodes: readonly GraphNode[];
  /** The fused chains, each in stream order (see `planChains`). */
  readonly chains: ReadonlyArray<readonly string[]>;
}

/** The picture of a definition: nodes, needs and fused chains, as the workflow plans them. */
export function graphOfDefinition(definition: PipelineDefinition): PipelineGraph {
  return {
    title: `${definition.name}@${definition.version}`,
    nodes: definition.nodes.map((n) => ({ id: n.id, type: n.type, needs: n.needs })),
    chains: planChains(definition.nodes),
  };
}

type FusionFlags = Pick<FusableNode, 'fuse' | 'cache' | 'taskQueue' | 'params'>;

/**
 * The fused chains of nodes known by id, type and needs (a run's status), with the settings that decide fusion
 * (`fuse`, `cache`, `taskQueue`, and the params that make a partitioned source or a load that publishes once) taken from the definition as written, which need not validate here (a worker's
 * own node types are never fused, so they need not be loaded).
 */
export function chainsOf(
  nodes: ReadonlyArray<Pick<FusableNode, 'id' | 'type' | 'needs'>>,
  definition: unknown,
): string[][] {
  const written = (definition as { nodes?: unknown } | undefined)?.nodes;
  const flags = new Map<string, FusionFlags>();
  if (Array.isArray(written))
    for (const n of written as Array<Record<string, unknown>>)
      if (typeof n?.id === 'string')
        flags.set(n.id, {
          fuse: typeof n.fuse === 'boolean' ? n.fuse : undefined,
          cache: n.cache ?? undefined,
          taskQueue: typeof n.taskQueue === 'string' ? n.taskQueue : undefined,
          params: typeof n.params === 'object' && n.params !== null ? (n.params as Record<string, unknown>) : undefined,
        });
  return planChains(nodes.map((n) => ({ id: n.id, type: n.type, needs: n.needs, ...flags.get(n.id) })));
}

/** `fused: read → shape → load`, the label of a chain's group. */
export const chainLabel = (chain: readonly string[]): string => `fused: ${chain.join(' → ')}`;

/** The lines of a node's label: its id, its type, then its details. */
export const labelLines = (node: GraphNode): string[] => [node.id, node.type, ...(node.details ?? [])];

/** The node states present in the picture, in the order of `NodeState` (for class definitions and legends). */
export function statesOf(graph: PipelineGraph, order: readonly NodeState[]): NodeState[] {
  const present = new Set(graph.nodes.map((n) => n.state));
  return order.filter((s) => present.has(s));
}
