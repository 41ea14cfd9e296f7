/**
 * One JSON record's text as a row of declared columns, numbers exact: the per-record step under `source.ndjson` (a
 * line) and `source.json` (an element of the records array). The text is parsed with the native `JSON.parse` and
 * converted by {@link JsonRecordRows}; where a double may have lost digits (a run of 16 or more), the numbers and
 * `json` values are taken from the source text instead, so bigint ids and long numerics survive.
 */
import type { FieldValue } from '../../model/columns/columns';
import { JsonRecordRows, type RecordColumn } from './json-records';

const LF = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;

/** A record read into a row, or why it was not: `syntax` when the text is not JSON at all. */
export type RecordRead =
  | { readonly row: FieldValue[]; readonly unclean: boolean; readonly reason?: undefined }
  | { readonly reason: string; readonly syntax: boolean };

export class JsonRecordText {
  private readonly keys: string[];
  private readonly isJson: boolean[];
  private readonly wanted: ReadonlySet<string>;
  private readonly records: JsonRecordRows;

  constructor(columns: readonly RecordColumn[]) {
    this.keys = columns.map((c) => c.key ?? c.name);
    this.isJson = columns.map((c) => c.type === 'json');
    this.wanted = new Set(this.keys);
    this.records = new JsonRecordRows(columns);
  }

  /**
   * The row of the record `text`. `hasBackslash` says whether the text holds a backslash: JSON strings cannot hold a
   * raw control character, so without one no value needs COPY escaping and the row is clean.
   */
  read(text: string, hasBackslash: boolean): RecordRead {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return { reason: `not valid JSON: ${(err as Error).message}`, syntax: true };
    }
    const converted = this.records.convert(value);
    if (typeof converted === 'string') return { reason: converted, syntax: false };
    const { row, numbers, inexact } = converted;
    let unclean = hasBackslash;
    // Doubles hold 15 significant digits exactly; only a record with a longer run of digits can have lost some.
    if (numbers && (inexact || LONG_DIGIT_RUN.test(text))) {
      if (this.exactNumbers(text, value as Record<string, unknown>, row)) unclean = true;
    }
    return { row, unclean };
  }

  /**
   * Replaces numbers that the double from JSON.parse does not represent exactly with their source text, and
   * `json` objects with their source text (their nested numbers too). Returns true when a replacement holds a
   * tab, CR or LF (whitespace between JSON tokens), which makes the chunk unclean.
   */
  private exactNumbers(text: string, obj: Record<string, unknown>, row: FieldValue[]): boolean {
    const spans = topLevelValues(text, this.wanted);
    let unclean = false;
    for (let i = 0; i < row.length; i++) {
      const key = this.keys[i] as string;
      const raw = spans.get(key);
      if (raw === undefined) continue;
      const v = obj[key];
      if (typeof v === 'number') {
        if (!Number.isFinite(v) || canonicalDecimal(raw) !== canonicalDecimal(row[i] as string)) row[i] = raw;
      } else if (this.isJson[i] && typeof v === 'object' && v !== null) {
        row[i] = raw;
        if (/[\t\r\n]/.test(raw)) unclean = true;
      }
    }
    return unclean;
  }
}

/** Sixteen digits (or points) in a row: where a number may carry more precision than a double. */
const LONG_DIGIT_RUN = /[\d.]{16}/;

const DECIMAL = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** A form of a decimal literal that is equal for equal values (`1.50`, `15e-1` and `1.5` alike). */
function canonicalDecimal(s: string): string {
  const m = DECIMAL.exec(s);
  if (!m) return s;
  const frac = m[3] ?? '';
  const all = (m[2] ?? '') + frac;
  const first = all.search(/[1-9]/);
  if (first < 0) return '0';
  let last = all.length;
  while (all.charCodeAt(last - 1) === 48) last--;
  const exponent = Number(m[4] ?? 0) - frac.length + (all.length - last);
  return `${m[1]}${all.slice(first, last)}e${exponent}`;
}

/**
 * The source text of the values of `wanted` keys in the top-level object on `line`. The line already parsed
 * with JSON.parse, so the scan can trust its shape. A repeated key keeps its last value, as JSON.parse does.
 */
function topLevelValues(line: string, wanted: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  let i = skipWhitespace(line, 0) + 1;
  for (;;) {
    i = skipWhitespace(line, i);
    if (line.charCodeAt(i) !== 34) return out;
    const keyEnd = stringEnd(line, i);
    const quotedKey = line.slice(i, keyEnd);
    const key = quotedKey.includes('\\') ? (JSON.parse(quotedKey) as string) : quotedKey.slice(1, -1);
    i = skipWhitespace(line, skipWhitespace(line, keyEnd) + 1);
    const end = valueEnd(line, i);
    if (wanted.has(key)) out.set(key, line.slice(i, end));
    i = skipWhitespace(line, end);
    if (line.charCodeAt(i) !== 44) return out;
    i++;
  }
}

function skipWhitespace(s: string, i: number): number {
  while (i < s.length && isJsonWhitespace(s.charCodeAt(i))) i++;
  return i;
}

/** Position after the string starting (with its quote) at `i`. */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  return s.length;
}

/** Position after the JSON value starting at `i`. */
function valueEnd(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 34) return stringEnd(s, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const d = s.charCodeAt(j);
      if (d === 34) j = stringEnd(s, j) - 1;
      else if (d === 123 || d === 91) depth++;
      else if ((d === 125 || d === 93) && --depth === 0) return j + 1;
    }
    return s.length;
  }
  let j = i;
  while (j < s.length) {
    const d = s.charCodeAt(j);
    if (d === 44 || d === 125 || d === 93 || isJsonWhitespace(d)) break;
    j++;
  }
  return j;
}

export function isJsonWhitespace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}
