/**
 * The slow path of the CSV parser: one record that contains the quote character, read field by field.
 */
import type { FieldValue } from '../../model/columns/columns';

const LF = 10;
const CR = 13;

/** A record read by {@link readQuotedRecord}. */
export interface QuotedRecord {
  readonly fields: FieldValue[];
  /** Position of the record's line break, or the buffer length at the end of input. */
  readonly end: number;
  /** Set when the record is malformed; the caller rejects it. */
  readonly error?: string;
}

/**
 * Reads the record starting at `pos`. Returns undefined when the buffer ends inside the record and more
 * input may follow (`final` false): the caller keeps the text and retries with the next chunk.
 * A quote inside an unquoted field is kept as a literal character, as most producers expect. An empty field is
 * `empty.unquoted` or, when it was quoted (`""`), `empty.quoted`: NULL or the empty string, as the reader's `nulls` says.
 */
export function readQuotedRecord(
  buf: string,
  pos: number,
  final: boolean,
  delimiter: string,
  quote: string,
  empty: { readonly unquoted: FieldValue; readonly quoted: FieldValue },
): QuotedRecord | undefined {
  const len = buf.length;
  const d = delimiter.charCodeAt(0);
  const qc = quote.charCodeAt(0);
  const fields: FieldValue[] = [];
  let error: string | undefined;
  let p = pos;
  for (;;) {
    if (p < len && buf.charCodeAt(p) === qc) {
      let q = p + 1;
      let value = '';
      for (;;) {
        const e = buf.indexOf(quote, q);
        if (e < 0) {
          if (!final) return undefined;
          error = 'unterminated quoted field';
          value += buf.slice(q);
          p = len;
          break;
        }
        if (e + 1 >= len && !final) return undefined; // cannot yet tell a closing quote from a doubled one
        if (buf.charCodeAt(e + 1) === qc) {
          value += buf.slice(q, e + 1);
          q = e + 2;
          continue;
        }
        value += buf.slice(q, e);
        p = e + 1;
        break;
      }
      // Text between a closing quote and the next delimiter is malformed; keep it so the row is not lost.
      let e = p;
      while (e < len && !isEnd(buf.charCodeAt(e), d)) e++;
      if (e > p) {
        error ??= `unexpected text after the closing quote of field ${fields.length + 1}`;
        value += buf.slice(p, e);
      }
      p = e;
      fields.push(value === '' ? empty.quoted : value);
    } else {
      let e = p;
      while (e < len && !isEnd(buf.charCodeAt(e), d)) e++;
      fields.push(e === p ? empty.unquoted : buf.slice(p, e));
      p = e;
    }
    if (p >= len) return final ? { fields, end: len, error } : undefined;
    if (buf.charCodeAt(p) !== d) return { fields, end: p, error };
    p++;
  }
}

function isEnd(c: number, delimiter: number): boolean {
  return c === delimiter || c === LF || c === CR;
}
