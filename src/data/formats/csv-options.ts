/**
 * Options of the CSV reader, with the zod schema used by node params.
 */
import { z } from 'zod';
import { CsvNullsParam } from '../../model/nodes/csv-params';

const singleChar = (what: string) =>
  z
    .string()
    .length(1, `${what} must be exactly one character`)
    .refine((c) => c !== '\r' && c !== '\n', `${what} cannot be a line break`);

/** Zod schema for the CSV dialect in node params. */
export const CsvOptionsSchema = z
  .object({
    header: z.boolean().default(true),
    delimiter: singleChar('delimiter').default(','),
    quote: singleChar('quote').default('"'),
    /** Which empty fields are NULL (see `CSV_NULLS`); default as COPY reads CSV: unquoted empty fields. */
    nulls: CsvNullsParam,
    /** Records per chunk handed downstream (the unit of work between awaits, not the commit batch). */
    chunkRows: z.number().int().positive().max(100_000).default(1024),
    /** Blank lines carry no record (and are not counted as rows) unless this is false. */
    skipEmptyLines: z.boolean().default(true),
    /** A record longer than this (usually an unterminated quote) fails the read instead of filling memory. */
    maxRecordChars: z
      .number()
      .int()
      .positive()
      .default(16 * 1024 * 1024),
  })
  .refine((o) => o.delimiter !== o.quote, { message: 'delimiter and quote must differ', path: ['quote'] });

/** CSV dialect as given in params. */
export type CsvOptionsInput = z.input<typeof CsvOptionsSchema>;
/** CSV dialect with defaults applied. */
export type CsvOptions = z.output<typeof CsvOptionsSchema>;

/** Thrown when the input cannot be read as CSV at all (as opposed to one bad record, which is rejected). */
export class CsvFormatError extends Error {
  constructor(
    readonly lineNo: number,
    message: string,
  ) {
    super(`CSV line ${lineNo}: ${message}`);
    this.name = 'CsvFormatError';
  }
}
