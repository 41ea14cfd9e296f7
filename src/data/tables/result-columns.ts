/**
 * The columns of a query result (`source.postgres`) or a table made by SQL (`transform.sql`), typed from the result's
 * type OIDs. PostGIS's `geometry` has no fixed OID (the extension's type gets one per database), so OIDs pipewright
 * does not know are looked up once: a `geometry(Kind[Z],SRID)` column takes its kind, Z and SRID from the typmod; a
 * plain `geometry` (what ST_Buffer or ST_Union give) takes SRID and Z from its first non-NULL value, as rows carry
 * them in every value's hex EWKB header.
 */
import type pg from 'pg';
import type { ColumnSpec, FieldValue } from '../../model/columns/columns';
import { ewkbHeaderOf } from '../geo/ewkb-hex';
import { geometryTypmod } from '../geo/kinds';
import { quoteIdent } from '../../model/identifiers';
import { columnTypeOfOid, isKnownOid, TEXT_TYPES } from './pg-types';

/** A result field as node-postgres describes it. */
export type ResultField = Pick<pg.FieldDef, 'name' | 'dataTypeID' | 'dataTypeModifier'>;

/** Whether a geometry column still needs its SRID and Z from a value (it has no typmod). */
export const untypedGeometry = (c: ColumnSpec): boolean => c.type === 'geometry' && c.srid === undefined;

/** The column specs of `fields`; geometry columns without a typmod have no SRID yet (see {@link withSampledGeometry}). */
export async function resultColumns(
  db: pg.ClientBase | pg.Pool,
  fields: readonly ResultField[],
): Promise<ColumnSpec[]> {
  const unknown = fields.filter((f) => !isKnownOid(f.dataTypeID));
  const types = new Map<string, string>();
  if (unknown.length > 0) {
    const { rows } = await db.query<{ oid: number; mod: number; type: string; geometry: boolean }>(
      `SELECT u.oid::int, u.mod, format_type(u.oid, u.mod) AS type, t.typname = 'geometry' AS geometry
       FROM unnest($1::oid[], $2::int[]) AS u(oid, mod) JOIN pg_type t ON t.oid = u.oid`,
      [unknown.map((f) => f.dataTypeID), unknown.map((f) => f.dataTypeModifier)],
    );
    for (const r of rows) if (r.geometry) types.set(`${r.oid}/${r.mod}`, r.type);
  }
  return fields.map((f): ColumnSpec => {
    const base = { name: f.name, emptyIsNull: false, nullable: true };
    const geometry = types.get(`${f.dataTypeID}/${f.dataTypeModifier}`);
    if (geometry === undefined) return { ...base, type: columnTypeOfOid(f.dataTypeID) };
    if (f.dataTypeModifier < 0) return { ...base, type: 'geometry' };
    const { kind, z, srid } = geometryTypmod(geometry);
    return { ...base, type: 'geometry', srid, z, ...(kind ? { kind } : {}) };
  });
}

/** The columns with each untyped geometry column's SRID and Z taken from its first non-NULL value in `rows`. */
export function withSampledGeometry(columns: readonly ColumnSpec[], rows: readonly FieldValue[][]): ColumnSpec[] {
  return columns.map((c, i) => {
    if (!untypedGeometry(c)) return c;
    const v = rows.find((r) => r[i] !== null && r[i] !== undefined)?.[i];
    if (v === undefined || v === null) return c;
    const h = ewkbHeaderOf(v);
    return h ? { ...c, srid: h.srid ?? 0, z: h.z } : c;
  });
}

/** The columns of `table` with each untyped geometry column's SRID and Z from its first non-NULL value. */
export async function withTableGeometry(
  db: pg.ClientBase | pg.Pool,
  table: string,
  columns: readonly ColumnSpec[],
): Promise<ColumnSpec[]> {
  const out = [...columns];
  for (let i = 0; i < out.length; i++) {
    const c = out[i] as ColumnSpec;
    if (!untypedGeometry(c)) continue;
    const col = quoteIdent(c.name, 'column');
    const { rows } = await db.query<FieldValue[]>({
      text: `SELECT ${col} FROM ${table} WHERE ${col} IS NOT NULL LIMIT 1`,
      rowMode: 'array',
      types: TEXT_TYPES,
    });
    out[i] = withSampledGeometry([c], rows)[0] as ColumnSpec;
  }
  return out;
}
