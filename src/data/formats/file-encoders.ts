/**
 * Encoding rows as CSV (RFC 4180) or NDJSON text for `sink.file`. CSV writes NULL as nothing and the empty
 * string as `""`, so the two stay apart when read back; NDJSON writes each value as its column type's JSON.
 */
import type { FieldValue } from '../../model/columns/columns';
import type { ColumnSpec } from '../../model/columns/columns';
import { formatCsvRecord } from './csv-format';

/** A file's text from its rows, chunk by chunk: `head` first, `rows` for each chunk, `tail` last. */
export interface RowTextEncoder {
  readonly head: string;
  rows(rows: readonly FieldValue[][]): string;
  readonly tail: string;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV line per row (LF endings). */
export function encodeCsvRows(rows: readonly FieldValue[][], delimiter = ','): string {
  const special =
    delimiter === ','
      ? NEEDS_QUOTES
      : new RegExp(`["\\r\\n${delimiter.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&')}]|^\\s|\\s$`);
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (i > 0) out += delimiter;
      if (v === null || v === undefined) continue;
      out += v === '' ? '""' : special.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    }
    out += '\n';
  }
  return out;
}

export const csvHeader = (columns: readonly ColumnSpec[], delimiter = ','): string =>
  `${formatCsvRecord(
    columns.map((c) => c.name),
    delimiter,
  )}\n`;

const TRUE = new Set(['t', 'true', '1', 'yes', 'on', 'y']);
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** A non-NULL value's JSON text. */
export type Encode = (v: string) => string;

/** Per column type, how a value is written as JSON: numbers as their digits, json as it is, the rest as strings. */
export const JSON_ENCODERS: Readonly<Record<ColumnSpec['type'], Encode>> = {
  text: (v) => JSON.stringify(v),
  date: (v) => JSON.stringify(v),
  timestamptz: (v) => JSON.stringify(v),
  // Digits as they are: no precision is lost on the way through a double.
  int: (v) => (JSON_NUMBER.test(v) ? v : JSON.stringify(v)),
  bigint: (v) => (JSON_NUMBER.test(v) ? v : JSON.stringify(v)),
  float: (v) => (JSON_NUMBER.test(v) ? v : JSON.stringify(v)),
  numeric: (v) => (JSON_NUMBER.test(v) ? v : JSON.stringify(v)),
  bool: (v) => (TRUE.has(v.toLowerCase()) ? 'true' : 'false'),
  json: (v) => v,
  // Hex EWKB as a string (the GeoJSON formats write the feature's geometry as GeoJSON).
  geometry: (v) => JSON.stringify(v),
};

/** One JSON object per row, keys the column names in order. */
export function encodeNdjsonRows(rows: readonly FieldValue[][], columns: readonly ColumnSpec[]): string {
  const keys = columns.map((c) => `${JSON.stringify(c.name)}:`);
  const enc = columns.map((c) => JSON_ENCODERS[c.type]);
  let out = '';
  for (const row of rows) {
    out += '{';
    for (let i = 0; i < keys.length; i++) {
      const v = row[i];
      out +=
        (i > 0 ? ',' : '') + (keys[i] as string) + (v === null || v === undefined ? 'null' : (enc[i] as Encode)(v));
    }
    out += '}\n';
  }
  return out;
}
