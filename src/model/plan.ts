/** Scheduling decisions over the DAG: which nodes are ready, which must be skipped. Pure. */
import type { NodeState } from './state';
import { DONE_NODE_STATES } from './state';

export interface PlanNode {
  readonly id: string;
  readonly needs: readonly string[];
}

/** Pending nodes whose needs have all succeeded (or were cached), in definition order. */
export function readyNodes(nodes: readonly PlanNode[], state: (id: string) => NodeState): string[] {
  return nodes
    .filter((n) => state(n.id) === 'pending' && n.needs.every((d) => DONE_NODE_STATES.has(state(d))))
    .map((n) => n.id);
}

/**
 * Pending nodes that can never run because a need failed, was skipped or was cancelled; applied until
 * nothing changes, so the skip reaches every transitive dependent.
 */
export function unreachableNodes(nodes: readonly PlanNode[], state: (id: string) => NodeState): string[] {
  const skipped = new Set<string>();
  const dead = (id: string): boolean => {
    const s = state(id);
    return skipped.has(id) || s === 'failed' || s === 'skipped' || s === 'cancelled';
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const n of nodes)
      if (!skipped.has(n.id) && state(n.id) === 'pending' && n.needs.some(dead)) {
        skipped.add(n.id);
        changed = true;
      }
  }
  return nodes.filter((n) => skipped.has(n.id)).map((n) => n.id);
}

/** Length of the longest chain of needs, weighting each node by `weight` (the critical path). */
export function criticalPath(nodes: readonly PlanNode[], weight: (id: string) => number): number {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const memo = new Map<string, number>();
  const longest = (id: string): number => {
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    const needs = byId.get(id)?.needs ?? [];
    const value = weight(id) + Math.max(0, ...needs.map(longest));
    memo.set(id, value);
    return value;
  };
  return Math.max(0, ...nodes.map((n) => longest(n.id)));
}
