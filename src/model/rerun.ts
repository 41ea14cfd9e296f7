/**
 * Rerun planning: which nodes of an ended run a new run of the same definition reuses, and which it runs again.
 * Pure; the client checks a request with it before starting, the workflow plans with it once it knows which
 * datasets are still there.
 *
 * What is reused: a node that succeeded (or was cached) in the run repeated, unless it is to run again, and only
 * while its output is there: an output without a dataset (a load's statistics, a small value), a file, a target
 * table or a memoized table still present. What runs again: the requested nodes (the ones that did not succeed, or
 * the node `from` names with everything after it), every node downstream of them, the whole of any fused chain one
 * of them is in, and any node whose dataset one of them needs but which is gone (a staging table: dropped when the
 * repeated run ended).
 */
import { planChains, type FusableNode } from './fusion';
import type { NodeOutput, NodeState } from './state';
import { DONE_NODE_STATES } from './state';

/** What to run again: what did not succeed, or one node and everything downstream of it. */
export type RerunFrom = { readonly failure: true } | { readonly node: string };

/** A node of the run repeated, as its final status showed it. */
export interface PreviousNode {
  readonly id: string;
  readonly state: NodeState;
  readonly output?: NodeOutput;
}

export interface RerunPlan {
  /** Reused outputs, by node id: these nodes do not run. */
  readonly reuse: Readonly<Record<string, NodeOutput>>;
  /** The nodes that run, in definition order. */
  readonly run: readonly string[];
  /** Why each node that succeeded before runs again, by node id. */
  readonly reasons: Readonly<Record<string, string>>;
}

/** Why the request cannot be planned (an unknown node, nothing to run), or undefined when it can. */
export function rerunRefusal(
  nodes: readonly FusableNode[],
  previous: readonly PreviousNode[],
  from: RerunFrom,
): string | undefined {
  if ('node' in from) {
    if (!nodes.some((n) => n.id === from.node))
      return `unknown node "${from.node}"; the pipeline's nodes are ${nodes.map((n) => n.id).join(', ')}`;
    return undefined;
  }
  const done = doneIds(previous);
  if (nodes.every((n) => done.has(n.id)))
    return 'every node succeeded in that run, so there is no failure to rerun from; name a node with --from <node> to run it and what follows it again';
  return undefined;
}

/**
 * Plans the rerun. `present(id)` says whether the dataset node `id` produced is still there (asked only for
 * succeeded nodes that have one).
 */
export function planRerun(
  nodes: readonly FusableNode[],
  previous: readonly PreviousNode[],
  from: RerunFrom,
  present: (id: string) => boolean,
): RerunPlan {
  const done = doneIds(previous);
  const outputs = new Map(previous.map((p) => [p.id, p.output ?? {}]));
  const dependents = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const n of nodes) for (const d of n.needs) dependents.get(d)?.push(n.id);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const chainOf = new Map<string, readonly string[]>();
  for (const chain of planChains(nodes)) for (const id of chain) chainOf.set(id, chain);

  const run = new Set<string>();
  const reasons: Record<string, string> = {};
  const add = (id: string, reason: string): boolean => {
    if (run.has(id)) return false;
    run.add(id);
    if (done.has(id)) reasons[id] = reason;
    return true;
  };
  /** Everything downstream of `id`, and every chain member with it. */
  const spread = (id: string): void => {
    for (const member of chainOf.get(id) ?? []) if (add(member, `fused with "${id}", which runs again`)) spread(member);
    for (const d of dependents.get(id) ?? []) if (add(d, `needs "${id}", which runs again`)) spread(d);
  };

  const requested =
    'node' in from
      ? [from.node, ...nodes.filter((n) => !done.has(n.id)).map((n) => n.id)]
      : nodes.filter((n) => !done.has(n.id)).map((n) => n.id);
  for (const id of requested) if (add(id, 'named by --from')) spread(id);

  // The inputs of what runs must be there; a need whose dataset is gone runs again too (and what it needs).
  for (let changed = true; changed;) {
    changed = false;
    for (const id of [...run])
      for (const need of byId.get(id)?.needs ?? []) {
        if (run.has(need) || outputs.get(need)?.dataset === undefined || present(need)) continue;
        add(need, `its output ${describeDataset(outputs.get(need) as NodeOutput)} is gone, and "${id}" needs it`);
        for (const member of chainOf.get(need) ?? []) add(member, `fused with "${need}", which runs again`);
        changed = true;
      }
  }
  const reuse: Record<string, NodeOutput> = {};
  for (const n of nodes) if (!run.has(n.id)) reuse[n.id] = outputs.get(n.id) ?? {};
  return { reuse, run: nodes.filter((n) => run.has(n.id)).map((n) => n.id), reasons };
}

/** The succeeded nodes whose datasets the plan may ask about (a staging table, a file, a table). */
export function reusableDatasets(
  previous: readonly PreviousNode[],
): Array<{ readonly id: string; readonly output: NodeOutput }> {
  return previous
    .filter((p) => DONE_NODE_STATES.has(p.state) && p.output?.dataset !== undefined)
    .map((p) => ({ id: p.id, output: p.output as NodeOutput }));
}

function doneIds(previous: readonly PreviousNode[]): Set<string> {
  return new Set(previous.filter((p) => DONE_NODE_STATES.has(p.state)).map((p) => p.id));
}

function describeDataset(output: NodeOutput): string {
  const d = output.dataset;
  return d ? `(${d.kind} ${d.location})` : '';
}
