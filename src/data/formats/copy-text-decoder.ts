/**
 * Decoding the text format of `COPY ... TO STDOUT` (the inverse of `encodeCopyText`): one record per line
 * ending in LF, fields separated by tab, `\N` for NULL, and backslash escapes as Postgres reads them in
 * `COPY FROM`: `\\`, `\t`, `\n`, `\r`, `\b`, `\f`, `\v`, octal `\N`..`\NNN`, hex `\xH`/`\xHH`, and a backslash
 * before any other character (the delimiter, a line break) standing for that character.
 *
 * Hot path: a line without a backslash is split with cached `indexOf` positions and `slice`, like the CSV
 * parser; only lines holding a backslash (NULLs included) go through the field-by-field reader.
 */
import { z } from 'zod';
import type { RowChunk } from '../rows/batch';
import type { FieldValue } from '../../model/columns/columns';
import { ChunkBuilder } from '../rows/chunk-builder';
import { readChunks } from './chunk-reader';

const LF = 10;
const CR = 13;
const TAB = 9;
const BACKSLASH = 92;

/** Zod schema for the decoder's options. */
export const CopyTextOptionsSchema = z.object({
  /** Records per chunk handed downstream. */
  chunkRows: z.number().int().positive().max(100_000).default(1024),
  /**
   * A record longer than this fails the read. COPY text has no quoting, so only a genuinely huge row (or input
   * that is not COPY text) reaches it; the default leaves room for large jsonb documents.
   */
  maxRecordChars: z
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
});
/** Options of {@link CopyTextParser} and {@link decodeCopyText}. */
export type CopyTextOptions = z.input<typeof CopyTextOptionsSchema>;

/** Thrown when the input cannot be read as COPY text at all. */
export class CopyTextFormatError extends Error {
  constructor(
    readonly lineNo: number,
    message: string,
  ) {
    super(`COPY text line ${lineNo}: ${message}`);
    this.name = 'CopyTextFormatError';
  }
}

/** A record read by the escaped path. */
interface EscapedRecord {
  readonly fields: FieldValue[];
  /** Position of the record's terminating LF, or the buffer length at the end of input. */
  readonly end: number;
  /** Escaped line breaks inside the record (`\` followed by LF), for physical line numbers. */
  readonly breaks: number;
  /** Whether any escape other than a whole-field `\N` was decoded. */
  readonly escaped: boolean;
  readonly error?: string;
}

/** The `\.` line that ends COPY data in a file or psql dump. */
const END_MARKER = Symbol('end of data');

/**
 * Push text with {@link CopyTextParser.push}, call {@link CopyTextParser.end}, collect with
 * {@link CopyTextParser.takeChunks}. Every line is a record (an empty line is one empty field); records are
 * numbered from 0 and `lineNo` is the physical line, which for Postgres output is `recordNo + 1`. A record
 * whose byte escapes do not form valid UTF-8 is rejected. A line `\.` ends the data, as in `COPY FROM`;
 * anything after it fails the read.
 */
export class CopyTextParser {
  private readonly opts: z.output<typeof CopyTextOptionsSchema>;
  private readonly chunks: ChunkBuilder;
  private rest = '';
  private line = 1;
  private ended = false;
  /** Field count of the last record, to size the next one. */
  private width = 8;

  constructor(options: CopyTextOptions = {}) {
    this.opts = CopyTextOptionsSchema.parse(options);
    this.chunks = new ChunkBuilder(this.opts.chunkRows);
  }

  /** Parses as many complete records of `text` (appended to any unfinished record) as it holds. */
  push(text: string): void {
    if (this.ended) {
      if (text.length > 0) this.afterEnd();
      return;
    }
    // A long record arriving over many reads: append until a line break arrives instead of rescanning it.
    if (this.rest.length > 0 && text.indexOf('\n') < 0) {
      this.rest += text;
      this.checkLength();
      return;
    }
    this.parse(text, false);
  }

  /** Signals the end of input; a last record without a line break is still a record. */
  end(): void {
    if (!this.ended) this.parse('', true);
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
    // Next position of each character at or after `pos`; `len` means none left in this buffer.
    let nextLF = -1;
    let nextBackslash = -1;
    let nextTab = -1;
    let nextCR = -1;
    let nextNul = -1;
    const scan: ScanCache = { tab: -1, lf: -1, backslash: -1 };
    while (pos < len) {
      if (nextLF < pos) nextLF = indexOrLen(buf, '\n', pos, len);
      if (nextBackslash < pos) nextBackslash = indexOrLen(buf, '\\', pos, len);
      const eol = nextLF;
      if (nextBackslash >= eol) {
        if (eol === len && !final) break;
        // Postgres never writes a raw CR or NUL, but other producers might; such values need escaping again.
        if (nextCR < pos) nextCR = indexOrLen(buf, '\r', pos, len);
        if (nextNul < pos) nextNul = indexOrLen(buf, '\0', pos, len);
        if (nextCR < eol || nextNul < eol) this.chunks.markUnclean();
        const row = new Array<string>(this.width);
        let n = 0;
        let p = pos;
        for (;;) {
          if (nextTab < p) nextTab = indexOrLen(buf, '\t', p, len);
          const d = nextTab < eol ? nextTab : eol;
          if (n < this.width) row[n] = buf.slice(p, d);
          else row.push(buf.slice(p, d));
          n++;
          if (d === eol) break;
          p = d + 1;
        }
        if (n < this.width) row.length = n;
        this.width = n;
        this.chunks.row(row, this.line);
        this.line++;
        pos = eol + 1;
        continue;
      }
      const r = readEscapedRecord(buf, pos, final, scan);
      if (r === undefined) break;
      if (r === END_MARKER) {
        this.ended = true;
        const after = buf.indexOf('\n', pos);
        if (after >= 0 && after + 1 < len) this.afterEnd();
        pos = len;
        break;
      }
      if (r.escaped) this.chunks.markUnclean();
      if (r.error !== undefined) this.chunks.reject(this.line, buf.slice(pos, r.end), r.error);
      else {
        this.width = r.fields.length;
        this.chunks.row(r.fields, this.line);
      }
      this.line += 1 + r.breaks;
      pos = r.end + 1;
    }
    this.rest = pos < len ? buf.slice(pos) : '';
    this.checkLength();
  }

  private checkLength(): void {
    if (this.rest.length > this.opts.maxRecordChars)
      throw new CopyTextFormatError(this.line, `a record longer than ${this.opts.maxRecordChars} characters`);
  }

  private afterEnd(): never {
    throw new CopyTextFormatError(this.line, 'data after the end-of-data marker \\.');
  }
}

/**
 * Decodes COPY text bytes (UTF-8, the client encoding node-postgres sets) from `source` into chunks of rows,
 * lazily: one read is decoded per chunk request, so memory stays bounded by the read size and `chunkRows`.
 */
export async function* decodeCopyText(
  source: AsyncIterable<Buffer | string>,
  options: CopyTextOptions = {},
): AsyncGenerator<RowChunk> {
  yield* readChunks(source, new CopyTextParser(options));
}

/**
 * Reads the record starting at `pos`, field by field, decoding escapes. Returns undefined when the buffer ends
 * inside the record (or inside an escape) and more input may follow: the caller keeps the text and retries.
 * `scan` caches the next tab, LF and backslash for this buffer, so that fields without an escape (the common
 * case on a line whose only backslashes are NULLs) are cut with `slice` and the scan stays linear.
 */
function readEscapedRecord(
  buf: string,
  pos: number,
  final: boolean,
  scan: ScanCache,
): EscapedRecord | typeof END_MARKER | undefined {
  const len = buf.length;
  if (buf.charCodeAt(pos) === BACKSLASH && buf.charCodeAt(pos + 1) === 46) {
    if (pos + 2 >= len && !final) return undefined;
    const c = buf.charCodeAt(pos + 2);
    if (pos + 2 >= len || c === LF || (c === CR && buf.charCodeAt(pos + 3) === LF)) return END_MARKER;
  }
  const fields: FieldValue[] = [];
  let breaks = 0;
  let escaped = false;
  let error: string | undefined;
  let p = pos;
  for (;;) {
    if (scan.tab < p) scan.tab = indexOrLen(buf, '\t', p, len);
    if (scan.lf < p) scan.lf = indexOrLen(buf, '\n', p, len);
    if (scan.backslash < p) scan.backslash = indexOrLen(buf, '\\', p, len);
    const stop = scan.tab < scan.lf ? scan.tab : scan.lf;
    if (scan.backslash >= stop) {
      if (stop === len && !final) return undefined;
      fields.push(buf.slice(p, stop));
      p = stop;
    } else if (scan.backslash === p && buf.charCodeAt(p + 1) === 78 && p + 2 === stop) {
      // NULL is the raw field `\N`; Postgres compares before de-escaping, so `a\Nb` is just "aNb".
      if (stop === len && !final) return undefined;
      fields.push(null);
      p = stop;
    } else {
      const f = readEscapedField(buf, p, final);
      if (f === undefined) return undefined;
      escaped = true;
      breaks += f.breaks;
      if (f.error !== undefined) error ??= `field ${fields.length + 1}: ${f.error}`;
      fields.push(f.value);
      p = f.end;
    }
    if (p >= len || buf.charCodeAt(p) === LF) return { fields, end: p, breaks, escaped, error };
    p++;
  }
}

/** Next positions of the characters that end or escape a field, for one buffer. */
interface ScanCache {
  tab: number;
  lf: number;
  backslash: number;
}

/** One field holding escapes, read character by character up to its unescaped tab or LF (or the end). */
function readEscapedField(
  buf: string,
  start: number,
  final: boolean,
): { value: string; end: number; breaks: number; error?: string } | undefined {
  const len = buf.length;
  let value = '';
  let breaks = 0;
  let error: string | undefined;
  // Bytes of `\NNN`/`\xHH` escapes above 0x7F: they only make sense together, as UTF-8.
  let bytes: number[] | undefined;
  let p = start;
  let run = p;
  for (;;) {
    if (p >= len) {
      if (!final) return undefined;
      break;
    }
    const c = buf.charCodeAt(p);
    if (c === TAB || c === LF) break;
    if (c !== BACKSLASH) {
      if (bytes !== undefined) {
        value += decodeBytes(bytes) ?? ((error ??= 'escaped bytes are not valid UTF-8'), '');
        bytes = undefined;
        run = p;
      }
      p++;
      continue;
    }
    if (run < p) value += buf.slice(run, p);
    // Octal and hex escapes take up to three more characters; wait until they are all here.
    if (p + 4 > len && !final) return undefined;
    let code = -1;
    let next = p + 2;
    const e = buf.charCodeAt(p + 1);
    if (p + 1 >= len) {
      // A lone backslash at the very end of the data: keep it rather than lose it.
      next = p + 1;
    } else if (isOctal(e)) {
      code = e - 48;
      for (let k = 0; k < 2 && isOctal(buf.charCodeAt(next)); k++, next++)
        code = (code << 3) + buf.charCodeAt(next) - 48;
      code &= 0xff;
    } else if (e === 120 && hexValue(buf.charCodeAt(p + 2)) >= 0) {
      code = hexValue(buf.charCodeAt(p + 2));
      next = p + 3;
      const h = hexValue(buf.charCodeAt(next));
      if (h >= 0) {
        code = (code << 4) + h;
        next++;
      }
    }
    if (code >= 0x80) (bytes ??= []).push(code);
    else {
      if (bytes !== undefined) {
        value += decodeBytes(bytes) ?? ((error ??= 'escaped bytes are not valid UTF-8'), '');
        bytes = undefined;
      }
      if (code >= 0) value += String.fromCharCode(code);
      else if (p + 1 >= len) value += '\\';
      else {
        // \b \f \n \r \t \v; any other character stands for itself: a backslash, the delimiter, a line break.
        value += SIMPLE_ESCAPES[e] ?? buf[p + 1];
        if (e === LF) breaks++;
      }
    }
    p = next;
    run = p;
  }
  if (bytes !== undefined) value += decodeBytes(bytes) ?? ((error ??= 'escaped bytes are not valid UTF-8'), '');
  else if (run < p) value += buf.slice(run, p);
  return { value, end: p, breaks, error };
}

/** The UTF-8 text of `bytes`, or undefined when they are not valid UTF-8. */
function decodeBytes(bytes: number[]): string | undefined {
  try {
    return UTF8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** `\b \f \n \r \t \v` by the code of their letter. */
const SIMPLE_ESCAPES: Record<number, string> = { 98: '\b', 102: '\f', 110: '\n', 114: '\r', 116: '\t', 118: '\v' };

function isOctal(c: number): boolean {
  return c >= 48 && c <= 55;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function indexOrLen(buf: string, needle: string, from: number, len: number): number {
  const i = buf.indexOf(needle, from);
  return i < 0 ? len : i;
}
