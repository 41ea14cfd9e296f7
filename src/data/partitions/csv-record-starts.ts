/**
 * Where CSV records start, found in the file's bytes without parsing fields: the scan under `split` (see
 * csv-ranges.ts). It follows the CSV parser's rules exactly, so every offset it reports is one where the parser would
 * start a record when reading the file from its beginning:
 * - a quote opens a quoted field only at the start of a field (first byte of a record, or right after a delimiter);
 *   anywhere else it is a literal character, as the parser keeps it;
 * - inside a quoted field, a doubled quote is a literal quote, a single one closes the field; line breaks inside are
 *   data (but still count as lines, as the parser numbers lines);
 * - outside quoted fields LF, CRLF and a lone CR end a record.
 * Quote, delimiter, LF and CR are ASCII bytes, which never occur inside a multi-byte UTF-8 character, so a byte scan
 * with `Buffer.indexOf` finds exactly the characters the parser sees.
 */

const LF = 0x0a;
const CR = 0x0d;

/** Called for each offset right after a line break outside quoted fields, with the 1-based line starting there. */
export type RecordStartListener = (offset: number, line: number, endedEmpty: boolean) => void;

/** Push the file's bytes in blocks of any size with {@link CsvRecordStarts.push}. */
export class CsvRecordStarts {
  private base = 0;
  private line = 1;
  private quoted = false;
  /** A quote ended the last block inside a quoted field: the next byte says whether it closes the field. */
  private quoteAtEnd = false;
  /** A CR outside quotes ended the last block: the next byte says whether the record starts after an LF. */
  private crAtEnd = false;
  /** Inside a quoted field, a CR ended the last block and was counted as a line. */
  private quotedCrAtEnd = false;
  /** Whether the record ended by a CR that ended the last block was empty. */
  private crEmpty = false;
  private prevByte = -1;
  private recordStart: number;

  /**
   * @param quote the quote character's byte
   * @param delimiter the delimiter's byte
   * @param bomLength bytes of a UTF-8 byte order mark at the file's start (0 or 3): the first record starts after it
   */
  constructor(
    private readonly quote: number,
    private readonly delimiter: number,
    bomLength: number,
    private readonly onStart: RecordStartListener,
  ) {
    this.recordStart = bomLength;
  }

  /** Absolute offset where the next block starts (the bytes pushed so far). */
  get offset(): number {
    return this.base;
  }

  /** Scans the next block of the file. */
  push(buf: Buffer): void {
    const len = buf.length;
    if (len === 0) return;
    let i = 0;
    if (this.quoteAtEnd) {
      this.quoteAtEnd = false;
      if (buf[0] === this.quote) i = 1;
      else this.quoted = false;
    } else if (this.crAtEnd) {
      this.crAtEnd = false;
      this.startRecord(buf[0] === LF ? 1 : 0, this.crEmpty);
      i = this.recordStart - this.base;
    } else if (this.quotedCrAtEnd && buf[0] === LF) this.line--; // counted at its CR; the LF counts it again
    this.quotedCrAtEnd = false;
    // First position of each byte at or after the scan position (len: none left in this block), kept across steps so
    // the scan stays linear however many fields a block holds.
    let nextQuote = -1;
    let nextLF = -1;
    let nextCR = -1;
    while (i < len) {
      if (nextLF < i) nextLF = indexOrLen(buf, LF, i);
      if (nextCR < i) nextCR = indexOrLen(buf, CR, i);
      if (this.quoted) {
        const q = buf.indexOf(this.quote, i);
        const stop = q < 0 ? len : q;
        // Line breaks inside a quoted field are data, but the parser numbers lines by them.
        for (; nextLF < stop; nextLF = indexOrLen(buf, LF, nextLF + 1)) this.line++;
        for (; nextCR < stop; nextCR = indexOrLen(buf, CR, nextCR + 1)) if (buf[nextCR + 1] !== LF) this.line++;
        if (q < 0) {
          this.quotedCrAtEnd = buf[len - 1] === CR;
          break;
        }
        if (q + 1 === len) {
          this.quoteAtEnd = true;
          break;
        }
        if (buf[q + 1] === this.quote) i = q + 2;
        else {
          this.quoted = false;
          i = q + 1;
        }
        continue;
      }
      if (nextQuote < i) nextQuote = indexOrLen(buf, this.quote, i);
      const brk = nextLF < nextCR ? nextLF : nextCR;
      if (nextQuote < brk) {
        const before = nextQuote > 0 ? buf[nextQuote - 1] : this.prevByte;
        if (this.base + nextQuote === this.recordStart || before === this.delimiter) this.quoted = true;
        i = nextQuote + 1;
        continue;
      }
      if (brk === len) break;
      const empty = this.base + brk === this.recordStart;
      this.line++;
      if (buf[brk] === CR) {
        if (brk + 1 === len) {
          this.crAtEnd = true;
          this.crEmpty = empty;
          break;
        }
        this.startRecord(brk + (buf[brk + 1] === LF ? 2 : 1), empty);
      } else this.startRecord(brk + 1, empty);
      i = this.recordStart - this.base;
    }
    this.prevByte = buf[len - 1] as number;
    this.base += len;
  }

  private startRecord(at: number, empty: boolean): void {
    this.recordStart = this.base + at;
    this.onStart(this.recordStart, this.line, empty);
  }
}

function indexOrLen(buf: Buffer, byte: number, from: number): number {
  const i = buf.indexOf(byte, from);
  return i < 0 ? buf.length : i;
}
