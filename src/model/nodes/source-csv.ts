/** `source.csv`: rows from an RFC 4180 CSV file, checked against the declared column types. */
import { z } from 'zod';
import { ColumnsSchema } from '../columns/columns';
import { MaxRejectsSchema } from '../max-rejects';
import { DelimiterParam, PathParam, QuoteParam } from './common-params';
import { CsvHeadersParam, CsvNullsParam } from './csv-params';
import { describeNode } from './describe';
import { CsvSplitParam } from './partition-params';
import { isGlob } from '../partitions';

export const SourceCsvParams = z
  .object({
    path: PathParam,
    /** Whether the first record names the columns; default true. */
    header: z.boolean().default(true),
    delimiter: DelimiterParam,
    quote: QuoteParam,
    /**
     * Which empty fields are NULL: `unquoted-empty` (default; as `COPY ... (FORMAT csv)` reads a file: `a,,b` holds a
     * NULL, `a,"",b` an empty string), `empty` (every empty field), or `none` (empty strings, never NULL).
     */
    nulls: CsvNullsParam,
    /**
     * How header names become column names: `normalize` (default; `Cost Total $` -> `cost_total`, repeats numbered
     * `_2`, `_3`) or `strict` (each name must already be a valid column name, kept as written).
     */
    headers: CsvHeadersParam,
    /**
     * Names and types, in file order. Without them every column is text, named by the header. With them and a header,
     * each header name must match its column: as written (case-insensitively), or, with `headers: normalize`, once
     * normalized.
     */
    columns: ColumnsSchema.optional(),
    /** Malformed records tolerated (a count, or `{ ratio }` of the records) before the node fails; default 0. */
    maxRejects: MaxRejectsSchema,
    /**
     * Reads the file as byte ranges aligned to records, one partition each: `{ parts: N }` or `{ partSize: '64MB' }`.
     * Planned once by the run's partition listing (src/data/partitions/csv-ranges.ts); the reader reads one part.
     */
    split: CsvSplitParam.optional(),
  })
  .strict()
  .refine((p) => p.columns !== undefined || p.header, {
    message: 'a file without a header needs `columns`',
    path: ['columns'],
  })
  .refine((p) => p.delimiter !== p.quote, { message: 'delimiter and quote must differ', path: ['quote'] })
  .refine((p) => p.split === undefined || !isGlob(p.path), {
    message:
      'split reads one file in parts; a glob path already reads one partition per file: remove split, or name one file',
    path: ['split'],
  })
  .refine((p) => p.split === undefined || (isAscii(p.delimiter) && isAscii(p.quote)), {
    message: 'split needs an ASCII delimiter and quote (the split scans the file for them byte by byte)',
    path: ['split'],
  });
export type SourceCsvParams = z.output<typeof SourceCsvParams>;

function isAscii(c: string): boolean {
  return c.charCodeAt(0) < 0x80;
}

export const sourceCsvDescription = describeNode({
  name: 'source.csv',
  description: 'Reads a CSV file (RFC 4180: quoted fields, embedded delimiters, quotes and newlines, CRLF, BOM).',
  params: SourceCsvParams,
  stream: 'source',
  staging: true,
});
