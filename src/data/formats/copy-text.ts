/**
 * Encoding rows in the text format of `COPY ... FROM STDIN`: tab-separated, one line per row, `\N` for NULL,
 * backslash escapes for backslash, tab, LF and CR.
 */
import type { FieldValue } from '../../model/columns/columns';

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPABLE = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** The COPY text form of one value. A value that is exactly `\.` cannot end the data: its backslash is escaped. */
export function escapeCopyValue(v: FieldValue): string {
  if (v === null) return '\\N';
  return NEEDS_ESCAPE.test(v) ? v.replace(ESCAPABLE, (c) => ESCAPES[c] as string) : v;
}

function hasNull(row: readonly FieldValue[]): boolean {
  for (let i = 0; i < row.length; i++) if (row[i] === null) return true;
  return false;
}

function encodeRow(row: readonly FieldValue[], clean: boolean): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as FieldValue;
    if (i > 0) line += '\t';
    line += v === null ? '\\N' : clean ? v : escapeCopyValue(v);
  }
  return line;
}

/**
 * Encodes `rows` as COPY text, each line ending in LF. With `clean` (see `RowChunk.clean`) values are not
 * scanned for characters to escape, which is most of the cost on the hot path.
 */
export function encodeCopyText(rows: readonly (readonly FieldValue[])[], clean: boolean): string {
  const lines = new Array<string>(rows.length + 1);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as readonly FieldValue[];
    // Array#join turns null into an empty string, so it is only safe for rows without NULL.
    lines[i] = clean && !hasNull(row) ? row.join('\t') : encodeRow(row, clean);
  }
  lines[rows.length] = '';
  return lines.join('\n');
}

/**
 * Encodes `rows` as COPY text with each row's record and line number in front (the two leading columns of an
 * upsert's temporary table: its order in the input, and where it came from, for a reject).
 */
export function encodeNumberedCopyText(
  rows: readonly (readonly FieldValue[])[],
  clean: boolean,
  recordNos: readonly number[],
  lineNos: readonly number[],
): string {
  const lines = new Array<string>(rows.length + 1);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as readonly FieldValue[];
    const values = clean && !hasNull(row) ? row.join('\t') : encodeRow(row, clean);
    lines[i] = `${recordNos[i] ?? 0}\t${lineNos[i] ?? 0}\t${values}`;
  }
  lines[rows.length] = '';
  return lines.join('\n');
}
