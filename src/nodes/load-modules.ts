/** Loads user node types from modules named in configuration (`PIPEWRIGHT_NODE_MODULES`). */
import path from 'node:path';
import type { NodeType } from './node-type';

/** Thrown when a node module cannot be loaded or exports no node types. */
export class NodeModuleError extends Error {
  constructor(
    readonly modulePath: string,
    message: string,
  ) {
    super(`node module ${modulePath}: ${message}`);
    this.name = 'NodeModuleError';
  }
}

const isNodeType = (v: unknown): v is NodeType<never> =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as NodeType).name === 'string' &&
  typeof (v as NodeType).run === 'function';

/**
 * Each module exports node types (from `defineNodeType`) as its default export, as `nodeTypes` (an array), or as
 * named exports. Paths are resolved from the current directory.
 */
export function loadNodeModules(paths: readonly string[], cwd = process.cwd()): NodeType<never>[] {
  const types: NodeType<never>[] = [];
  for (const p of paths) {
    const resolved = path.resolve(cwd, p);
    let mod: Record<string, unknown>;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(resolved) as Record<string, unknown>;
    } catch (err) {
      throw new NodeModuleError(p, `cannot be loaded (${(err as Error).message}); check the path and that it is built`);
    }
    const found = Object.values(mod)
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .filter(isNodeType);
    if (found.length === 0)
      throw new NodeModuleError(p, 'exports no node types; export the result of defineNodeType(...)');
    types.push(...new Set(found));
  }
  return types;
}
