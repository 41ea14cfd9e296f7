/** What validation knows about node types: their descriptions, by name. Pure. */
import type { NodeDescription } from './nodes/describe';
import { DuplicateNodeTypeError } from './errors';
import { BUILTIN_NODE_DESCRIPTIONS } from './nodes';

/** Node type name to description. */
export type NodeTypeCatalog = ReadonlyMap<string, NodeDescription>;

/** The catalog of built-in node types, optionally extended with a worker's own types. */
export function createCatalog(extra: Iterable<NodeDescription> = []): NodeTypeCatalog {
  const catalog = new Map<string, NodeDescription>();
  for (const d of [...BUILTIN_NODE_DESCRIPTIONS, ...extra]) {
    const known = catalog.get(d.name);
    // The same description twice (a built-in implementation passed as an extra) is one type.
    if (known !== undefined && known.params !== d.params) throw new DuplicateNodeTypeError(d.name);
    catalog.set(d.name, d as NodeDescription);
  }
  return catalog;
}
