/** Looking up map and filter functions registered with the worker, with an error that lists what is there. */
import { InputDatasetError } from '../errors';
import type { FilterFunction, WorkerFunctions, RegisteredMap } from '../functions';
import type { FieldValue } from '../../model/columns/columns';
import type { ColumnSpec } from '../../model/columns/columns';
import type { RowObject } from '../functions';

/** The map function `name` registered with the worker; node `nodeId` names it. */
export function registeredMap(functions: WorkerFunctions, nodeId: string, name: string): RegisteredMap {
  const maps = functions.maps;
  const found = maps.get(name);
  if (found) return found;
  throw new InputDatasetError(
    nodeId,
    `no map function "${name}" is registered on this worker (registered: ${[...maps.keys()].join(', ') || 'none'}); register it with the worker's functions`,
  );
}

/** The filter function `name` registered with the worker; node `nodeId` names it. */
export function registeredFilter(functions: WorkerFunctions, nodeId: string, name: string): FilterFunction {
  const filters = functions.filters;
  const found = filters.get(name);
  if (found) return found;
  throw new InputDatasetError(
    nodeId,
    `no filter function "${name}" is registered on this worker (registered: ${[...filters.keys()].join(', ') || 'none'}); register it with the worker's functions`,
  );
}

/** Builds the row object a registered function receives: column name to value. */
export function rowObject(columns: readonly ColumnSpec[], row: readonly FieldValue[]): RowObject {
  const out: RowObject = {};
  for (let i = 0; i < columns.length; i++) out[(columns[i] as ColumnSpec).name] = row[i] ?? null;
  return out;
}

/** A value a registered function returned, as field text. */
export function fieldOf(v: unknown): FieldValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

export const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
