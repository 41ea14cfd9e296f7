/**
 * Fusing linear chains of streaming nodes into one activity: rows then flow from the source through the
 * transforms into the sink in memory, in batches, instead of through a staging table per node. Pure.
 */
import { streamRole } from './nodes/builtin-table';
import { partitionForm } from './partitions';

export interface FusableNode {
  readonly id: string;
  readonly type: string;
  readonly needs: readonly string[];
  /** false keeps the node out of any chain. */
  readonly fuse?: boolean;
  /** A memoized node keeps its output as a table, so it runs on its own. */
  readonly cache?: unknown;
  /** Nodes on different task queues run on different workers, so they never fuse. */
  readonly taskQueue?: string;
  /** Only read to tell a partitioned source and a load that publishes once (see `publishesOnce`). */
  readonly params?: Readonly<Record<string, unknown>>;
}

/**
 * A load that publishes all its rows at once (replace, replace-where, atomic). After a partitioned source it does not
 * fuse: the partitions land in the chain's staging table first, and the load then runs once over all of them.
 */
function publishesOnce(n: FusableNode): boolean {
  const p = n.params ?? {};
  return n.type === 'sink.postgres' && (p.mode === 'replace' || p.mode === 'replace-where' || p.atomic === true);
}

const isPartitioned = (n: FusableNode): boolean =>
  partitionForm({ type: n.type, params: n.params ?? {} }) !== undefined;

/**
 * The chains to run as one activity each, in definition order of their first node. A chain is a path of two or
 * more streaming nodes where each next node needs only the previous one and is its only dependent; a source can
 * only start a chain and a sink only end one.
 */
export function planChains(nodes: readonly FusableNode[]): string[][] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const dependents = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const n of nodes) for (const d of n.needs) dependents.get(d)?.push(n.id);
  const fusable = (n: FusableNode | undefined): n is FusableNode =>
    n !== undefined && n.fuse !== false && n.cache === undefined && streamRole(n.type) !== undefined;
  const next = (n: FusableNode): FusableNode | undefined => {
    if (streamRole(n.type) === 'sink') return undefined;
    const deps = dependents.get(n.id) ?? [];
    if (deps.length !== 1) return undefined;
    const d = byId.get(deps[0] as string);
    if (!fusable(d) || d.needs.length !== 1 || streamRole(d.type) === 'source') return undefined;
    if (d.taskQueue !== n.taskQueue) return undefined;
    return d;
  };
  const inChain = new Set<string>();
  const chains: string[][] = [];
  for (const n of nodes) {
    if (inChain.has(n.id) || !fusable(n)) continue;
    // Only start where no fusable predecessor would extend the chain backwards.
    const need = n.needs.length === 1 ? byId.get(n.needs[0] as string) : undefined;
    if (need && fusable(need) && next(need)?.id === n.id) continue;
    const chain = [n.id];
    for (let cur = next(n); cur; cur = next(cur)) {
      if (isPartitioned(n) && publishesOnce(cur)) break;
      chain.push(cur.id);
    }
    if (chain.length < 2) continue;
    for (const id of chain) inChain.add(id);
    chains.push(chain);
  }
  return chains;
}
