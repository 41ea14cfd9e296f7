/** Looking up map and filter functions registered with the worker, with an error that lists what is there. */
import { InputDatasetError } from '../../data/errors';
import type { FilterFunction, RegisteredMap } from '../../data/functions';
import type { NodeContext } from '../node-type';
import type { FieldValue } from '../../stream/batch';
import type { ColumnSpec } from '../../stream/columns';
import type { RowObject } from '../../data/functions';

export function registeredMap(ctx: NodeContext<unknown>, name: string): RegisteredMap {
  const maps = ctx.data.functions.maps;
  const found = maps.get(name);
  if (found) return found;
  throw new InputDatasetError(
    ctx.nodeId,
    `no map function "${name}" is registered on this worker (registered: ${[...maps.keys()].join(', ') || 'none'}); register it with the worker's functions`,
  );
}

export function registeredFilter(ctx: NodeContext<unknown>, name: string): FilterFunction {
  const filters = ctx.data.functions.filters;
  const found = filters.get(name);
  if (found) return found;
  throw new InputDatasetError(
    ctx.nodeId,
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
