/**
 * Column declarations (`columns: [{ name, type }]`) and per-type checking of values read as text.
 * Values stay text: Postgres parses them during COPY. The checks only make sure it will accept them, so
 * that a bad value becomes a reject with a reason instead of a failed batch.
 */
import { z } from 'zod';
import { zIdentifier } from '../identifiers';
import { checkBigint, checkBool, checkFloat, checkInt, checkJson, checkNumeric } from './numbers';
import { checkDate, checkTimestamptz } from './temporal';

/** A field value: text as read (or as a transform produced it), or SQL NULL. */
export type FieldValue = string | null;

/** The column types a definition may declare, with the Postgres type each maps to. */
export const COLUMN_TYPES = {
  text: 'text',
  int: 'integer',
  bigint: 'bigint',
  float: 'double precision',
  numeric: 'numeric',
  bool: 'boolean',
  date: 'date',
  timestamptz: 'timestamptz',
  json: 'jsonb',
  geometry: 'geometry',
} as const;
/** A declared column type. */
export type ColumnType = keyof typeof COLUMN_TYPES;

const typeNames = Object.keys(COLUMN_TYPES) as [ColumnType, ...ColumnType[]];

/** The GeoJSON geometry kinds a `geometry` column may be restricted to. */
export const GEOMETRY_COLUMN_KINDS = [
  'Point',
  'LineString',
  'Polygon',
  'MultiPoint',
  'MultiLineString',
  'MultiPolygon',
  'GeometryCollection',
] as const;
/** A geometry kind of a `geometry` column. */
export type GeometryColumnKind = (typeof GEOMETRY_COLUMN_KINDS)[number];

/** Zod schema for one column declaration. */
export const ColumnSpecSchema = z.object({
  name: zIdentifier('column'),
  type: z.enum(typeNames),
  /**
   * Whether an empty string is NULL in a text column (it always is for the other types, which have no empty value).
   * A CSV field is NULL or empty by the source's `nulls` first: by default `,,` is NULL and `,"",` empty.
   */
  emptyIsNull: z.boolean().default(false),
  nullable: z.boolean().default(true),
  /** A `geometry` column's spatial reference (EPSG code); 4326 (WGS 84 longitude/latitude) unless given. */
  srid: z.number().int().min(0).max(999999).optional(),
  /** The one geometry kind a `geometry` column holds; any kind unless given. */
  kind: z.enum(GEOMETRY_COLUMN_KINDS).optional(),
  /** Whether a `geometry` column's positions have Z (a third number); without it a Z is dropped. */
  z: z.boolean().optional(),
});
/** One column declaration. */
export type ColumnSpec = z.output<typeof ColumnSpecSchema>;
/** One column declaration as written in a definition. */
export type ColumnSpecInput = z.input<typeof ColumnSpecSchema>;

/** Refuses repeated column names (case-insensitively, as Postgres folds them when unquoted), each at its path. */
export function refineUniqueNames(cols: ReadonlyArray<{ readonly name: string }>, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  cols.forEach((c, i) => {
    const key = c.name.toLowerCase();
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate column ${c.name}` });
    seen.add(key);
  });
}

/** Refuses `srid`, `kind` and `z` on columns that are not `geometry`, each at its path. */
export function refineGeometryOptions(cols: readonly ColumnSpecInput[], ctx: z.RefinementCtx): void {
  cols.forEach((c, i) => {
    if (c.type === 'geometry') return;
    for (const key of ['srid', 'kind', 'z'] as const)
      if (c[key] !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [i, key],
          message: `${key} is for geometry columns; ${c.name} is ${c.type}`,
        });
  });
}

/** Zod schema for `columns`: at least one, unique names. */
export const ColumnsSchema = z
  .array(ColumnSpecSchema)
  .min(1, 'declare at least one column')
  .superRefine((cols, ctx) => {
    refineUniqueNames(cols, ctx);
    refineGeometryOptions(cols, ctx);
  });

/** Checks one text value of a column type; undefined means Postgres accepts it. */
export type ValueCheck = (v: string) => string | undefined;

const CHECKS: Record<ColumnType, ValueCheck | undefined> = {
  text: undefined,
  int: checkInt,
  bigint: checkBigint,
  float: checkFloat,
  numeric: checkNumeric,
  bool: checkBool,
  date: checkDate,
  timestamptz: checkTimestamptz,
  json: checkJson,
  // Needs the worker's encoder: see ValueConverters.
  geometry: undefined,
};

/**
 * Converts one text value of a column into the text COPY writes, throwing an Error whose message is the reject
 * reason. For column types whose conversion needs the worker (geometry to hex EWKB), supplied by the data layer.
 */
export type ValueConvert = (v: string) => string;
/** Per column type, the converter factory for a column of that type. */
export type ValueConverters = Partial<Record<ColumnType, (column: ColumnSpec) => ValueConvert>>;

/**
 * Checks and normalizes one row in place against `columns`: empty values become NULL (except in text
 * columns unless `emptyIsNull`), values with surrounding spaces are trimmed (except text), and text values
 * containing NUL, which Postgres cannot store, are refused. Returns the reject reason, or undefined.
 * `clean` (no NUL anywhere in the source values) lets text columns skip the NUL scan.
 */
export type RowCheck = (row: FieldValue[], clean: boolean) => string | undefined;

/** Compiles the per-row check for `columns`; a column type with a converter in `converters` is converted in place. */
export function compileRowCheck(columns: readonly ColumnSpec[], converters: ValueConverters = {}): RowCheck {
  const n = columns.length;
  const checks = columns.map((c): ValueCheck | undefined => {
    const make = converters[c.type];
    if (make === undefined) {
      if (c.type === 'geometry') throw new Error(`column ${c.name}: geometry values need the worker's converter`);
      return CHECKS[c.type];
    }
    const convert = make(c);
    // Wrapped as a check that stores its result: the loop below stays one shape for every type.
    return (v) => {
      try {
        converted = convert(v);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    };
  });
  const converting = columns.map((c) => converters[c.type] !== undefined);
  let converted = '';
  const textEmptyNull = columns.map((c) => c.type !== 'text' || c.emptyIsNull);
  const notNull = columns.map((c) => !c.nullable);
  return (row, clean) => {
    if (row.length !== n) return `expected ${n} fields, found ${row.length}`;
    for (let i = 0; i < n; i++) {
      let v = row[i];
      if (v === null || v === undefined) {
        if (notNull[i]) return `column ${columns[i]?.name}: empty or NULL, but the column is not nullable`;
        continue;
      }
      const check = checks[i];
      if (v.length === 0) {
        if (textEmptyNull[i]) row[i] = v = null;
      } else if (check !== undefined) {
        const first = v.charCodeAt(0);
        const last = v.charCodeAt(v.length - 1);
        if (first <= 32 || last <= 32) row[i] = v = v.trim();
        const problem = v.length === 0 ? undefined : check(v);
        if (problem) return `column ${columns[i]?.name}: ${problem}: ${JSON.stringify(v.slice(0, 80))}`;
        if (v.length === 0) row[i] = v = null;
        else if (converting[i]) row[i] = v = converted;
      } else if (!clean && v.includes('\0')) {
        return `column ${columns[i]?.name}: contains a NUL character, which Postgres text cannot hold`;
      }
      if (v === null && notNull[i]) return `column ${columns[i]?.name}: empty or NULL, but the column is not nullable`;
    }
    return undefined;
  };
}

/**
 * Returns a message when a CSV header does not name `columns` in order, else undefined. A header name matches its
 * column as written (trimmed, case-insensitively) or, given the header's `normalized` names, once normalized.
 */
export function headerProblem(
  header: readonly string[],
  columns: readonly ColumnSpec[],
  normalized?: readonly string[],
): string | undefined {
  const wanted = columns.map((c) => c.name.toLowerCase());
  const matches = (h: string, i: number) =>
    h.trim().toLowerCase() === wanted[i] || (normalized !== undefined && normalized[i] === wanted[i]);
  if (header.length === wanted.length && header.every(matches)) return undefined;
  return `the header names ${JSON.stringify(header)} but the columns are ${JSON.stringify(columns.map((c) => c.name))}`;
}
