/**
 * Memoization around a node's run: before it, the output an earlier run kept under the node's fingerprint; after
 * it, keeping the output for the node's TTL. Memoization is an optimisation: when the store cannot answer
 * (Postgres away), the node runs as usual and a warning says so.
 */
import type { NodeOutput } from '../src/model/state';
import type { MemoOwner, MemoStore } from '../src/data/memo/memo-store';

interface Log {
  warn(message: string, attrs?: Record<string, unknown>): void;
}

export async function findMemoized(
  store: MemoStore,
  nodeId: string,
  fingerprint: string,
  log: Log,
): Promise<NodeOutput | undefined> {
  try {
    return await store.find(fingerprint);
  } catch (err) {
    log.warn(`node "${nodeId}": could not look up a memoized output (${(err as Error).message}); running it`, {
      nodeId,
    });
    return undefined;
  }
}

export async function keepMemoized(
  store: MemoStore,
  owner: MemoOwner,
  nodeType: string,
  fingerprint: string,
  output: NodeOutput,
  ttlMs: number,
  log: Log,
): Promise<NodeOutput> {
  try {
    return await store.keep(owner, fingerprint, nodeType, output, ttlMs);
  } catch (err) {
    log.warn(`node "${owner.nodeId}": could not keep its output for reuse (${(err as Error).message})`, {
      nodeId: owner.nodeId,
    });
    return output;
  }
}

/** The outputs with each node's fingerprint. */
export function stampFingerprints(
  outputs: Record<string, NodeOutput>,
  ids: readonly string[],
  fingerprints: readonly string[],
): Record<string, NodeOutput> {
  const stamped: Record<string, NodeOutput> = { ...outputs };
  ids.forEach((id, i) => {
    stamped[id] = { ...(outputs[id] ?? {}), fingerprint: fingerprints[i] };
  });
  return stamped;
}
