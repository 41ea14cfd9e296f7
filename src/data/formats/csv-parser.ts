/**
 * A streaming RFC 4180 CSV parser that turns text chunks into {@link RowChunk}s.
 *
 * Hot path: a record with no quote character is found and split with cached `indexOf` positions and
 * `slice`; only records containing a quote go through the field-by-field reader. The cached
 * positions keep the scan linear however long the text is. Small chunks keep rows short-lived, which
 * matters more to speed than anything else here: rows that survive a scavenge are costly to promote.
 *
 * NULL as COPY's CSV format reads it (`nulls`, default `unquoted-empty`): an unquoted empty field is NULL and a quoted
 * one the empty string. The hot path only ever sees unquoted fields, so an empty slice there is NULL.
 */
import type { RowChunk } from '../rows/batch';
import type { FieldValue } from '../../model/columns/columns';
import { ChunkBuilder } from '../rows/chunk-builder';
import { countLineBreaks } from './csv-format';
import { CsvFormatError, CsvOptionsSchema, type CsvOptions, type CsvOptionsInput } from './csv-options';
import { readQuotedRecord } from './csv-quoted';

const LF = 10;
const CR = 13;

/** Push text with {@link CsvParser.push}, call {@link CsvParser.end}, collect with {@link CsvParser.takeChunks}. */
export class CsvParser {
  /** The header record, once read (when `header` is on). */
  header: string[] | undefined;
  private readonly opts: CsvOptions;
  private rest = '';
  private line = 1;
  private started = false;
  private skipLF = false;
  private headerPending: boolean;
  /** Field count of the last record, to size the next one. */
  private width = 8;
  private readonly chunks: ChunkBuilder;
  /** The value of an empty field without quotes, and of `""`. */
  private readonly empty: { readonly unquoted: FieldValue; readonly quoted: FieldValue };

  constructor(options: CsvOptionsInput = {}) {
    this.opts = CsvOptionsSchema.parse(options);
    this.empty = { unquoted: this.opts.nulls === 'none' ? '' : null, quoted: this.opts.nulls === 'empty' ? null : '' };
    this.headerPending = this.opts.header;
    this.chunks = new ChunkBuilder(this.opts.chunkRows);
  }

  /** Parses as much of `text` (appended to any unfinished record) as forms complete records. */
  push(text: string): void {
    this.parse(text, false);
  }

  /** Signals the end of input: the last record may lack a line break; an open quote becomes a reject. */
  end(): void {
    this.parse('', true);
    this.chunks.flush();
  }

  /**
   * Starts the parse in the middle of a file, at the start of a record on line `line`, with the header already read
   * (from the file's first record): the reader of one part of a split file. Call before the first push.
   */
  startAt(line: number, header: string[] | undefined): void {
    this.line = line;
    this.started = true;
    this.headerPending = false;
    this.header = header;
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
    if (len > 0 && this.skipLF) {
      this.skipLF = false;
      if (buf.charCodeAt(pos) === LF) pos++;
    }
    const { delimiter, quote, skipEmptyLines } = this.opts;
    const unquotedEmpty = this.empty.unquoted;
    // Next position of each character at or after `pos`; `len` means none left in this buffer.
    let nextLF = -1;
    let nextCR = -1;
    let nextQuote = -1;
    let nextTab = delimiter === '\t' ? len : -1;
    let nextBackslash = -1;
    let nextNul = -1;
    let nextDelim = -1;
    while (pos < len) {
      const c = buf.charCodeAt(pos);
      if ((c === LF || c === CR) && skipEmptyLines) {
        this.line++;
        pos = this.afterBreak(buf, pos, len);
        continue;
      }
      if (nextLF < pos) nextLF = indexOrLen(buf, '\n', pos, len);
      if (nextCR < pos) nextCR = indexOrLen(buf, '\r', pos, len);
      if (nextQuote < pos) nextQuote = indexOrLen(buf, quote, pos, len);
      const eol = nextLF < nextCR ? nextLF : nextCR;
      if (nextQuote >= eol) {
        if (eol === len && !final) break;
        if (nextTab < pos) nextTab = indexOrLen(buf, '\t', pos, len);
        if (nextBackslash < pos) nextBackslash = indexOrLen(buf, '\\', pos, len);
        if (nextNul < pos) nextNul = indexOrLen(buf, '\0', pos, len);
        if (nextTab < eol || nextBackslash < eol || nextNul < eol) this.chunks.markUnclean();
        // Split with indexOf and slice into an array sized like the last record: ~4x faster than
        // slice(...).split(), which allocates the line and grows the array.
        const row = new Array<FieldValue>(this.width);
        let n = 0;
        let p = pos;
        for (;;) {
          if (nextDelim < p) nextDelim = indexOrLen(buf, delimiter, p, len);
          const d = nextDelim < eol ? nextDelim : eol;
          const v = d === p ? unquotedEmpty : buf.slice(p, d);
          if (n < this.width) row[n] = v;
          else row.push(v);
          n++;
          if (d === eol) break;
          p = d + 1;
        }
        if (n < this.width) row.length = n;
        this.width = n;
        this.record(row);
        this.line++;
        pos = eol === len ? len : this.afterBreak(buf, eol, len);
        continue;
      }
      const r = readQuotedRecord(buf, pos, final, delimiter, quote, this.empty);
      if (r === undefined) break;
      const raw = buf.slice(pos, r.end);
      this.chunks.markUnclean();
      if (r.error) this.reject(raw, r.error);
      else this.record(r.fields);
      this.line += 1 + countLineBreaks(raw);
      pos = r.end === len ? len : this.afterBreak(buf, r.end, len);
    }
    this.rest = pos < len ? buf.slice(pos) : '';
    if (this.rest.length > this.opts.maxRecordChars)
      throw new CsvFormatError(
        this.line,
        `a record longer than ${this.opts.maxRecordChars} characters (is a quoted field left open?)`,
      );
  }

  /** Position after the line break at `eol`; a CR at the end of the buffer may be half of a CRLF. */
  private afterBreak(buf: string, eol: number, len: number): number {
    if (buf.charCodeAt(eol) !== CR) return eol + 1;
    if (eol + 1 === len) {
      this.skipLF = true;
      return len;
    }
    return buf.charCodeAt(eol + 1) === LF ? eol + 2 : eol + 1;
  }

  private record(fields: FieldValue[]): void {
    if (this.headerPending) {
      this.headerPending = false;
      this.header = fields.map((f) => f ?? '');
    } else this.chunks.row(fields, this.line);
  }

  private reject(raw: string, reason: string): void {
    if (this.headerPending) throw new CsvFormatError(this.line, `the header record is malformed: ${reason}`);
    this.chunks.reject(this.line, raw, reason);
  }
}

function indexOrLen(buf: string, needle: string, from: number, len: number): number {
  const i = buf.indexOf(needle, from);
  return i < 0 ? len : i;
}
