/** What validation knows about node types: a name and its params schema. Pure. */
import type { ZodTypeAny } from 'zod';
import { BUILTIN_PARAMS } from './builtin-params';

/** Node type name to params schema. */
export type NodeTypeCatalog = ReadonlyMap<string, ZodTypeAny>;

/** The catalog of built-in node types, optionally extended with a worker's own types. */
export function createCatalog(extra: Iterable<readonly [string, ZodTypeAny]> = []): NodeTypeCatalog {
  return new Map<string, ZodTypeAny>([...Object.entries(BUILTIN_PARAMS), ...extra]);
}
