/**
 * JSON records (parsed objects) as rows of declared columns: the one conversion under `source.ndjson` (one record per
 * line) and `source.http` (records of each page). Per field: a string is taken as is (for a `json` column, as its
 * JSON text); a number as its decimal text (integers without exponent); a boolean as `true`/`false`; null or a
 * missing key as NULL; an object or array as its JSON text for a `json` column, an object as hex EWKB for a
 * `geometry` column (a GeoJSON geometry, encoded here where it is already parsed), otherwise the record is refused.
 * Whether the text fits the column type is checked later, by the source's checks.
 */
import type { ColumnSpec, FieldValue } from '../../model/columns/columns';
import { ewkbOptionsOf } from '../geo/geometry-convert';
import { geojsonToEwkbHex, type EwkbOptions } from '../geo/wkb';

/** The columns a record is read into: the name and the type, and the record's key when it is not the name. */
export type RecordColumn = Pick<ColumnSpec, 'name' | 'type'> &
  Partial<Pick<ColumnSpec, 'srid' | 'kind' | 'z'>> & { readonly key?: string };

/** A record's row, and what the NDJSON reader needs to know to keep its numbers exact. */
export interface RecordRow {
  readonly row: FieldValue[];
  /** Some field came from a number (or a `json` value, which may hold numbers). */
  readonly numbers: boolean;
  /** Some number was not finite (a literal too large for a double): its source text must be used. */
  readonly inexact: boolean;
}

/** Characters a clean chunk never holds (see `RowChunk.clean`). */
const UNCLEAN = /[\t\n\r\\\0]/;

export class JsonRecordRows {
  private readonly names: string[];
  private readonly isJson: boolean[];
  private readonly geometry: (EwkbOptions | undefined)[];

  constructor(columns: readonly RecordColumn[]) {
    this.names = columns.map((c) => c.key ?? c.name);
    this.isJson = columns.map((c) => c.type === 'json');
    this.geometry = columns.map((c) => (c.type === 'geometry' ? ewkbOptionsOf(c) : undefined));
  }

  /** The row of `value`, or why it is refused. */
  convert(value: unknown): RecordRow | string {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return `expected a JSON object, found ${describeJson(value)}`;
    const obj = value as Record<string, unknown>;
    const { names, isJson } = this;
    const n = names.length;
    const row = new Array<FieldValue>(n);
    let numbers = false;
    let inexact = false;
    for (let i = 0; i < n; i++) {
      const name = names[i] as string;
      const v = obj[name];
      switch (typeof v) {
        case 'string':
          row[i] = isJson[i] ? JSON.stringify(v) : v;
          break;
        case 'number':
          row[i] = formatNumber(v);
          numbers = true;
          // JSON.parse turns a too-large literal (1e400) into Infinity; the source digits are still exact.
          if (!Number.isFinite(v)) inexact = true;
          break;
        case 'boolean':
          row[i] = v ? 'true' : 'false';
          break;
        case 'undefined':
          row[i] = null;
          break;
        default:
          // `obj.constructor` and the like come from Object.prototype when the key is absent.
          if (v === null || !Object.hasOwn(obj, name)) row[i] = null;
          else if (this.geometry[i] !== undefined) {
            try {
              row[i] = geojsonToEwkbHex(v, this.geometry[i] as EwkbOptions);
            } catch (err) {
              return `column ${name}: ${(err as Error).message}`;
            }
          } else if (isJson[i]) {
            row[i] = JSON.stringify(v);
            numbers = true;
          } else return `column ${name}: expected a scalar, found ${Array.isArray(v) ? 'an array' : 'an object'}`;
      }
    }
    return { row, numbers, inexact };
  }
}

/** Whether any value of `row` needs COPY escaping or a NUL check. */
export function isUnclean(row: readonly FieldValue[]): boolean {
  for (const v of row) if (v !== null && UNCLEAN.test(v)) return true;
  return false;
}

/** The decimal text of `n`; integers of 1e21 and above are written out, as integer columns need plain digits. */
export function formatNumber(n: number): string {
  const s = String(n);
  if (!Number.isInteger(n) || (n < 1e21 && n > -1e21)) return s;
  // Expanding the shortest round-trip form only appends zeros: no digits are invented (BigInt(n) would).
  const e = s.indexOf('e');
  const neg = s.charCodeAt(0) === 45;
  const mantissa = s.slice(neg ? 1 : 0, e);
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const intLength = (dot < 0 ? mantissa.length : dot) + Number(s.slice(e + 1));
  return (neg ? '-' : '') + digits + '0'.repeat(intLength - digits.length);
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? 'a string' : typeof v === 'number' ? 'a number' : 'a boolean';
}
