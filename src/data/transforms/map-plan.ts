/**
 * The column plan of a `transform.map`: which output column comes from which input column or expression, after
 * defaults, computed columns, casts, renames and drops, in that order. Compiled once per node; applied per row.
 */
import { compileExpression, fieldFormatter, type CompiledExpression } from '../../model/expr';
import type { FieldValue } from '../../model/columns/columns';
import { type ColumnSpec, type ColumnType, type RowCheck } from '../../model/columns/columns';
import { compileWorkerRowCheck } from '../rows/row-check';

export interface MapSpec {
  readonly defaults?: Readonly<Record<string, string | number | boolean>>;
  readonly compute?: ReadonlyArray<{ readonly name: string; readonly expr: string; readonly type?: ColumnType }>;
  readonly cast?: Readonly<Record<string, ColumnType>>;
  readonly rename?: Readonly<Record<string, string>>;
  readonly drop?: readonly string[];
}

/** A definition problem found against the actual input columns; the caller names the node. */
export class MapPlanError extends Error {}

type Slot = { readonly from: number } | { readonly expr: CompiledExpression; readonly type: ColumnType };

export interface MapPlan {
  readonly columns: readonly ColumnSpec[];
  /** Whether output values may hold characters COPY must escape though the input's did not. */
  readonly addsText: boolean;
  /** The output row for `row` (whose NULLs it may fill with defaults in place); throws a reason for a reject. */
  apply(row: FieldValue[]): FieldValue[];
}

const defaultText = (v: string | number | boolean): string => (typeof v === 'boolean' ? (v ? 't' : 'f') : String(v));

export function compileMapPlan(spec: MapSpec, input: readonly ColumnSpec[]): MapPlan {
  const find = (cols: readonly { name: string }[], name: string, what: string): number => {
    const i = cols.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
    if (i < 0)
      throw new MapPlanError(
        `${what} names column "${name}", which is not among ${cols.map((c) => c.name).join(', ')}`,
      );
    return i;
  };
  const defaults = Object.entries(spec.defaults ?? {}).map(([name, v]) => ({
    at: find(input, name, 'defaults'),
    text: defaultText(v),
  }));
  // Computed columns see the input (after defaults); a name already present replaces that column in place.
  const cols: ColumnSpec[] = [...input];
  const slots: Slot[] = input.map((_, i) => ({ from: i }));
  let addsText = false;
  for (const c of spec.compute ?? []) {
    let expr: CompiledExpression;
    try {
      expr = compileExpression(c.expr, input);
    } catch (err) {
      throw new MapPlanError(`compute ${c.name}: ${(err as Error).message}`);
    }
    const type = c.type ?? expr.type;
    if (type === 'text' || type === 'json') addsText = true;
    const spec2: ColumnSpec = { name: c.name, type, emptyIsNull: false, nullable: true };
    const at = cols.findIndex((x) => x.name.toLowerCase() === c.name.toLowerCase());
    if (at >= 0) {
      cols[at] = spec2;
      slots[at] = { expr, type };
    } else {
      cols.push(spec2);
      slots.push({ expr, type });
    }
  }
  const castAt: number[] = [];
  for (const [name, type] of Object.entries(spec.cast ?? {})) {
    const at = find(cols, name, 'cast');
    cols[at] = { ...(cols[at] as ColumnSpec), type };
    const slot = slots[at] as Slot;
    if ('expr' in slot) slots[at] = { expr: slot.expr, type };
    castAt.push(at);
  }
  for (const [from, to] of Object.entries(spec.rename ?? {})) {
    const at = find(cols, from, 'rename');
    cols[at] = { ...(cols[at] as ColumnSpec), name: to };
  }
  const dropped = new Set((spec.drop ?? []).map((name) => find(cols, name, 'drop')));
  const keep = cols.map((_, i) => i).filter((i) => !dropped.has(i));
  if (keep.length === 0) throw new MapPlanError('drop removes every column; keep at least one');
  const outCols = keep.map((i) => cols[i] as ColumnSpec);
  const seen = new Set<string>();
  for (const c of outCols) {
    const key = c.name.toLowerCase();
    if (seen.has(key)) throw new MapPlanError(`two output columns are named "${c.name}"; rename or drop one`);
    seen.add(key);
  }
  const outSlots = keep.map((i) => slots[i] as Slot);
  // Casts are checked as the new type, in output positions.
  const castOut = castAt.filter((i) => !dropped.has(i)).map((i) => keep.indexOf(i));
  const castCheck: RowCheck | undefined =
    castOut.length > 0 ? compileWorkerRowCheck(castOut.map((i) => outCols[i] as ColumnSpec)) : undefined;
  const n = outSlots.length;
  // Per output position: the input position it copies (-1 for a computed value), or the computation itself.
  const from = Int32Array.from(outSlots, (slot) => ('from' in slot ? slot.from : -1));
  const computed = outSlots.map((slot) => {
    if ('from' in slot) return undefined;
    const format = fieldFormatter(slot.type);
    const evaluate = slot.expr.evaluate;
    return (row: FieldValue[]): FieldValue => {
      const value = evaluate(row);
      return value === null || value === undefined ? null : format(value);
    };
  });
  return {
    columns: outCols,
    addsText,
    apply(row) {
      for (const d of defaults) if (row[d.at] === null) row[d.at] = d.text;
      const out = new Array<FieldValue>(n);
      for (let i = 0; i < n; i++) {
        const at = from[i] as number;
        out[i] = at >= 0 ? (row[at] ?? null) : (computed[i] as (row: FieldValue[]) => FieldValue)(row);
      }
      if (castCheck) {
        const sub = castOut.map((i) => out[i] ?? null);
        const reason = castCheck(sub, false);
        if (reason) throw new Error(`cast: ${reason}`);
        castOut.forEach((i, k) => (out[i] = sub[k] ?? null));
      }
      return out;
    },
  };
}
