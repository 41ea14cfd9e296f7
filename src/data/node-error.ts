/**
 * Which node of a fused chain an error came from. Errors travel through the chain's generators; the first
 * stage that sees an untagged error tags it with its node, so the workflow can mark the right node failed.
 */

const NODE = Symbol('pipewright.nodeId');

/** Returns `err` (made an Error if it was not one), tagged with `nodeId` unless an inner stage tagged it first. */
export function tagError(err: unknown, nodeId: string): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  if (!(NODE in e)) Object.defineProperty(e, NODE, { value: nodeId, enumerable: false });
  return e;
}

/** The node an error was tagged with. */
export function failedNodeOf(err: unknown): string | undefined {
  return err instanceof Error && NODE in err
    ? ((err as unknown as Record<symbol, string>)[NODE] ?? undefined)
    : undefined;
}

/** Yields `source`'s items, tagging any error that comes out of it with `nodeId`. */
export async function* tagErrors<T>(nodeId: string, source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (err) {
    throw tagError(err, nodeId);
  }
}

/** Runs `fn`, tagging its error with `nodeId`. */
export async function tagged<T>(nodeId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw tagError(err, nodeId);
  }
}
