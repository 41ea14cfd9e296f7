/**
 * The plan of a `transform.geo`: the output columns (types, SRIDs and kinds known before any row is read, so a sink
 * can create its table) and one step per operation, compiled once per node and applied per row in order.
 */
import type { ColumnSpec, FieldValue } from '../../model/columns/columns';
import { compileExpression, fieldFormatter } from '../../model/expr';
import { epsgProblem } from '../../model/geo/epsg';
import type { GeoOperation } from '../../model/geo/operations';
import { DEFAULT_SRID } from '../geo/kinds';
import type { Region } from '../geo/within-region';
import { GeoRow } from './geo-row';
import { compileStep, type GeoStep, type PlanColumns } from './geo-steps';

/** A definition problem found against the actual input columns; the caller names the node. */
export class GeoPlanError extends Error {}

export interface GeoPlan {
  readonly columns: readonly ColumnSpec[];
  /** The output row, or undefined when a `within` filter drops it; throws the reject reason. */
  apply(row: FieldValue[]): FieldValue[] | undefined;
}

const sridOf = (c: ColumnSpec): number => c.srid ?? DEFAULT_SRID;

export function compileGeoPlan(
  operations: readonly GeoOperation[],
  input: readonly ColumnSpec[],
  regions: ReadonlyMap<number, Region> = new Map(),
): GeoPlan {
  const cols: ColumnSpec[] = [...input];
  const find = (name: string): number => cols.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
  const steps: GeoStep[] = [];
  operations.forEach((op, i) => {
    const label = `operations[${i}] ${op.op}`;
    const fail = (reason: string): never => {
      throw new GeoPlanError(`${label}: ${reason}`);
    };
    const columns: PlanColumns = {
      label,
      geometryInput(name) {
        if (name === undefined) {
          // The node's input's geometry column, even after operations added others; else the one they made.
          const geoIn = input.flatMap((c, at) => (c.type === 'geometry' && cols[at]?.type === 'geometry' ? [at] : []));
          const geo = geoIn.length > 0 ? geoIn : cols.flatMap((c, at) => (c.type === 'geometry' ? [at] : []));
          if (geo.length !== 1)
            fail(
              geo.length === 0
                ? `there is no geometry column (columns: ${cols.map((c) => c.name).join(', ')}); make one with point first`
                : `there are several geometry columns (${geo.map((at) => cols[at]?.name).join(', ')}); name one in input`,
            );
          const at = geo[0] as number;
          return { at, column: cols[at] as ColumnSpec, srid: sridOf(cols[at] as ColumnSpec) };
        }
        const at = find(name);
        if (at < 0) fail(`input names column "${name}", which is not among ${cols.map((c) => c.name).join(', ')}`);
        const column = cols[at] as ColumnSpec;
        if (column.type !== 'geometry') fail(`input column ${column.name} is ${column.type}, not geometry`);
        return { at, column, srid: sridOf(column) };
      },
      output(spec) {
        const full: ColumnSpec = { emptyIsNull: false, nullable: true, ...spec };
        const at = find(spec.name);
        if (at >= 0) {
          cols[at] = full;
          return at;
        }
        cols.push(full);
        return cols.length - 1;
      },
      valueInput(name) {
        const at = find(name);
        if (at < 0) fail(`names column "${name}", which is not among ${cols.map((c) => c.name).join(', ')}`);
        return at;
      },
      numberExpression(text) {
        let expr;
        try {
          expr = compileExpression(text, [...cols]);
        } catch (err) {
          return fail(`distance: ${(err as Error).message}`);
        }
        if (!['int', 'bigint', 'float', 'numeric'].includes(expr.type))
          fail(`distance: the expression "${text}" is ${expr.type}, not a number`);
        const format = fieldFormatter(expr.type);
        return (row) => {
          const v = expr.evaluate(row);
          return v === null || v === undefined ? null : Number(format(v));
        };
      },
      requireLonLat(srid, name) {
        if (srid !== 4326)
          fail(`needs longitude/latitude (SRID 4326) but ${name} has SRID ${srid}; reproject it to 4326 first`);
      },
      requireKnownSrid(srid, name) {
        const problem = epsgProblem(srid);
        if (problem) fail(`column ${name} has SRID ${srid}: ${problem}`);
      },
    };
    steps.push(wrap(label, compileStep(op, columns, regions.get(i))));
  });
  const n = cols.length;
  const out = [...cols];
  return {
    columns: out,
    apply(row) {
      // A copy: a row rejected midway keeps its input values for the rejects table.
      const vals = row.length === n ? row.slice() : row.concat(new Array<FieldValue>(n - row.length).fill(null));
      const r = new GeoRow(vals);
      for (const step of steps) if (!step(r)) return undefined;
      return r.finish(out);
    },
  };
}

function wrap(label: string, step: GeoStep): GeoStep {
  return (r) => {
    try {
      return step(r);
    } catch (err) {
      throw new Error(`${label}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}
