/**
 * NDJSON (one JSON object per line) rows from a byte stream or a file, pulled on demand like the CSV reader.
 *
 * Each line is parsed with `JSON.parse` (native, and far faster than a tokenizer in JS) and the declared columns
 * are taken from the object by name. Values become text, as a CSV field would be; whether the text fits the
 * column type is checked later by `compileRowCheck`. The reader only extracts.
 */
import { z } from 'zod';
import type { RowChunk } from '../rows/batch';
import { ChunkBuilder } from '../rows/chunk-builder';
import { readChunks, readFileBytes } from './chunk-reader';
import { isJsonWhitespace, JsonRecordText } from './json-record-text';
import type { ColumnSpec } from '../../model/columns/columns';

const CR = 13;
const OPEN_BRACKET = 91;

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

/** The columns an NDJSON reader extracts: the name and the type (and a geometry column's SRID, kind and Z). */
export type NdjsonColumn = Pick<ColumnSpec, 'name' | 'type'> & Partial<Pick<ColumnSpec, 'srid' | 'kind' | 'z'>>;

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

/** Thrown when the file's first record starts with `[`: a JSON array (or an array per line), not NDJSON. */
export class NdjsonArrayError extends NdjsonFormatError {
  constructor(lineNo: number) {
    super(
      lineNo,
      'the file starts with "[": it looks like a JSON array, not one object per line; read it with source.json ' +
        '(records: "" for an array at the top)',
    );
    this.name = 'NdjsonArrayError';
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
  private readonly records: JsonRecordText;
  private readonly chunks: ChunkBuilder;
  private rest = '';
  private line = 1;
  private started = false;
  private sawRecord = false;

  constructor(options: NdjsonReaderOptions) {
    const opts = NdjsonOptionsSchema.parse(options);
    this.maxRecordChars = opts.maxRecordChars;
    this.records = new JsonRecordText(options.columns);
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
        if (!this.sawRecord) {
          this.sawRecord = true;
          if (buf.charCodeAt(firstNonBlank(buf, pos, end)) === OPEN_BRACKET) throw new NdjsonArrayError(this.line);
        }
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
    const r = this.records.read(text, hasBackslash);
    if (r.reason !== undefined) {
      this.chunks.reject(this.line, text, r.reason);
      return;
    }
    if (r.unclean) this.chunks.markUnclean();
    this.chunks.row(r.row, this.line);
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

function isBlank(s: string, from: number, to: number): boolean {
  return firstNonBlank(s, from, to) === to;
}

function firstNonBlank(s: string, from: number, to: number): number {
  let i = from;
  while (i < to && isJsonWhitespace(s.charCodeAt(i))) i++;
  return i;
}

function indexOrLen(buf: string, needle: string, from: number, len: number): number {
  const i = buf.indexOf(needle, from);
  return i < 0 ? len : i;
}
