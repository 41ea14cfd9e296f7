/**
 * NDJSON (one JSON object per line) rows from a byte stream or a file, pulled on demand like the CSV reader.
 *
 * Each line is parsed with `JSON.parse` (native, and far faster than a tokenizer in JS) and the declared columns
 * are taken from the object by name. Values become text, as a CSV field would be; whether the text fits the
 * column type is checked later by `compileRowCheck`. The reader only extracts.
 */
import { z } from 'zod';
import type { RowChunk } from '../rows/batch';
import type { FieldValue } from '../../model/columns/columns';
import { ChunkBuilder } from '../rows/chunk-builder';
import { readChunks, readFileBytes } from './chunk-reader';
import { JsonRecordRows } from './json-records';
import type { ColumnSpec } from '../../model/columns/columns';

const LF = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;

/** Zod schema for the NDJSON reader's tuning options in node params. */
export const NdjsonOptionsSchema = z.object({
  /** Records per chunk handed downstream (the unit of work between awaits, not the commit batch). */
  chunkRows: z.number().int().positive().max(100_000).default(1024),
  /** A line longer than this fails the read instead of filling memory (a file that is not NDJSON at all). */
  maxRecordChars: z
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
});

/** The columns an NDJSON reader extracts: only the name and the type matter here. */
export type NdjsonColumn = Pick<ColumnSpec, 'name' | 'type'>;

/** Options of {@link NdjsonParser}, {@link NdjsonReader} and {@link readNdjsonFile}. */
export type NdjsonReaderOptions = z.input<typeof NdjsonOptionsSchema> & {
  /** The fields to take from each object, by exact (case-sensitive) key, in row order. */
  readonly columns: readonly NdjsonColumn[];
};

/** Thrown when the input cannot be read as NDJSON at all (as opposed to one bad line, which is rejected). */
export class NdjsonFormatError extends Error {
  constructor(
    readonly lineNo: number,
    message: string,
  ) {
    super(`NDJSON line ${lineNo}: ${message}`);
    this.name = 'NdjsonFormatError';
  }
}

/**
 * Push text with {@link NdjsonParser.push}, call {@link NdjsonParser.end}, collect with
 * {@link NdjsonParser.takeChunks}.
 *
 * Per line: blank lines (JSON whitespace only) are skipped and are not records; a line that is not valid JSON,
 * or not an object, is rejected with the reason. Per field: a string is taken as is (for a `json` column, as
 * its JSON text); a number as its decimal text (integers without exponent, and the source digits when a
 * double cannot hold them exactly, so bigint ids and long numerics survive); a boolean as `true`/`false`;
 * null or a missing key as NULL; an object or array as its JSON text for a `json` column, otherwise the record
 * is rejected. Line numbers are physical lines (1-based); a line ends at LF, an optional CR before it dropped.
 */
export class NdjsonParser {
  private readonly maxRecordChars: number;
  private readonly names: string[];
  private readonly isJson: boolean[];
  private readonly wanted: ReadonlySet<string>;
  private readonly records: JsonRecordRows;
  private readonly chunks: ChunkBuilder;
  private rest = '';
  private line = 1;
  private started = false;

  constructor(options: NdjsonReaderOptions) {
    const opts = NdjsonOptionsSchema.parse(options);
    this.maxRecordChars = opts.maxRecordChars;
    this.names = options.columns.map((c) => c.name);
    this.isJson = options.columns.map((c) => c.type === 'json');
    this.wanted = new Set(this.names);
    this.records = new JsonRecordRows(options.columns);
    this.chunks = new ChunkBuilder(opts.chunkRows);
  }

  /** Parses as many complete lines of `text` (appended to any unfinished line) as it holds. */
  push(text: string): void {
    // A long line arriving over many reads: append until its end arrives instead of rescanning it each time.
    if (this.rest.length > 0 && text.indexOf('\n') < 0) {
      this.rest += text;
      this.checkLength();
      return;
    }
    this.parse(text, false);
  }

  /** Signals the end of input: the last line may lack a line break. */
  end(): void {
    this.parse('', true);
    this.chunks.flush();
  }

  /** Removes and returns the chunks completed so far. */
  takeChunks(): RowChunk[] {
    return this.chunks.take();
  }

  private parse(text: string, final: boolean): void {
    const buf = this.rest.length > 0 ? this.rest + text : text;
    const len = buf.length;
    let pos = 0;
    if (len > 0 && !this.started) {
      this.started = true;
      if (buf.charCodeAt(0) === 0xfeff) pos = 1;
    }
    let nextBackslash = -1;
    while (pos < len) {
      let eol = buf.indexOf('\n', pos);
      if (eol < 0) {
        if (!final) break;
        eol = len;
      }
      const end = eol > pos && buf.charCodeAt(eol - 1) === CR ? eol - 1 : eol;
      if (!isBlank(buf, pos, end)) {
        if (nextBackslash < pos) nextBackslash = indexOrLen(buf, '\\', pos, len);
        // JSON strings cannot hold a raw control character, so a tab, CR, LF or NUL in a value (and any
        // backslash) comes from an escape: a line without a backslash yields only clean values.
        this.record(buf.slice(pos, end), nextBackslash < end);
      }
      this.line++;
      pos = eol + 1;
    }
    this.rest = pos < len ? buf.slice(pos) : '';
    this.checkLength();
  }

  private checkLength(): void {
    if (this.rest.length > this.maxRecordChars)
      throw new NdjsonFormatError(this.line, `a line longer than ${this.maxRecordChars} characters`);
  }

  private record(text: string, hasBackslash: boolean): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.chunks.reject(this.line, text, `not valid JSON: ${(err as Error).message}`);
      return;
    }
    const converted = this.records.convert(value);
    if (typeof converted === 'string') {
      this.chunks.reject(this.line, text, converted);
      return;
    }
    const { row, numbers, inexact } = converted;
    const obj = value as Record<string, unknown>;
    // Doubles hold 15 significant digits exactly; only a line with a longer run of digits can have lost some.
    if (numbers && (inexact || LONG_DIGIT_RUN.test(text))) {
      if (this.exactNumbers(text, obj, row)) hasBackslash = true;
    }
    if (hasBackslash) this.chunks.markUnclean();
    this.chunks.row(row, this.line);
  }

  /**
   * Replaces numbers that the double from JSON.parse does not represent exactly with their source text, and
   * `json` objects with their source text (their nested numbers too). Returns true when a replacement holds a
   * tab or CR (whitespace between JSON tokens), which makes the chunk unclean.
   */
  private exactNumbers(text: string, obj: Record<string, unknown>, row: FieldValue[]): boolean {
    const spans = topLevelValues(text, this.wanted);
    let unclean = false;
    for (let i = 0; i < row.length; i++) {
      const name = this.names[i] as string;
      const raw = spans.get(name);
      if (raw === undefined) continue;
      const v = obj[name];
      if (typeof v === 'number') {
        if (!Number.isFinite(v) || canonicalDecimal(raw) !== canonicalDecimal(row[i] as string)) row[i] = raw;
      } else if (this.isJson[i] && typeof v === 'object' && v !== null) {
        row[i] = raw;
        if (raw.includes('\t') || raw.includes('\r')) unclean = true;
      }
    }
    return unclean;
  }
}

/**
 * Parses UTF-8 bytes (or strings) of NDJSON from a source into chunks of rows when iterated (see
 * {@link NdjsonParser}). A multi-byte character split across reads is decoded correctly; a leading BOM is
 * dropped. Only one read is ahead of the chunk being consumed.
 */
export class NdjsonReader implements AsyncIterable<RowChunk> {
  private readonly parser: NdjsonParser;

  constructor(
    private readonly source: AsyncIterable<Buffer | string>,
    options: NdjsonReaderOptions,
  ) {
    this.parser = new NdjsonParser(options);
  }

  [Symbol.asyncIterator](): AsyncGenerator<RowChunk> {
    return readChunks(this.source, this.parser);
  }
}

/** A reader of the NDJSON file at `path`, read in 64 KiB pieces (see {@link NdjsonReader}). */
export function readNdjsonFile(path: string, options: NdjsonReaderOptions): NdjsonReader {
  return new NdjsonReader(readFileBytes(path), options);
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

function isJsonWhitespace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

function isBlank(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isJsonWhitespace(s.charCodeAt(i))) return false;
  return true;
}

function indexOrLen(buf: string, needle: string, from: number, len: number): number {
  const i = buf.indexOf(needle, from);
  return i < 0 ? len : i;
}
