/** What validation knows about node types: their descriptions, by name. Pure. */
import type { NodeDescription } from './nodes/describe';
import { DuplicateNodeTypeError } from './errors';
import { builtinDescription, builtinTypeNames } from './nodes/builtin-table';

/** Node type name to description (a `Map` is one). */
export interface NodeTypeCatalog {
  get(type: string): NodeDescription | undefined;
  /** Every type's name: built-in types first, in catalog order. */
  keys(): Iterable<string>;
}

/**
 * The catalog of built-in node types, optionally extended with a worker's own types. Built-in descriptions load
 * when first asked for, so validating a definition builds the params schemas of the types it names only.
 */
export function createCatalog(extra: Iterable<NodeDescription> = []): NodeTypeCatalog {
  const own = new Map<string, NodeDescription>();
  for (const d of extra) {
    const known = own.get(d.name) ?? builtinDescription(d.name);
    // The same description twice (a built-in implementation passed as an extra) is one type.
    if (known !== undefined && known.params !== d.params) throw new DuplicateNodeTypeError(d.name);
    own.set(d.name, d);
  }
  const builtins = builtinTypeNames();
  return {
    get: (type) => own.get(type) ?? builtinDescription(type),
    keys: () => [...builtins, ...[...own.keys()].filter((name) => !builtins.includes(name))],
  };
}
