/** Params of `source.csv` about what a file means: which empty fields are NULL, how header names become columns. */
import { z } from 'zod';

/**
 * Which empty fields are NULL. `unquoted-empty` is how Postgres's `COPY ... (FORMAT csv)` reads a file: an unquoted
 * empty field is NULL, a quoted one (`""`) the empty string. `empty`: every empty field is NULL, quoted or not.
 * `none`: no field is NULL; empty fields are empty strings (a text column keeps them, other types read them as NULL).
 */
export const CSV_NULLS = ['unquoted-empty', 'empty', 'none'] as const;
export type CsvNulls = (typeof CSV_NULLS)[number];
export const CsvNullsParam = z.enum(CSV_NULLS).default('unquoted-empty');

/**
 * How header names become column names. `normalize`: lower snake_case (see `normalizeHeader`), so any header loads;
 * `strict`: each name (trimmed) must already be a valid column name, kept as written.
 */
export const CSV_HEADERS = ['normalize', 'strict'] as const;
export type CsvHeaders = (typeof CSV_HEADERS)[number];
export const CsvHeadersParam = z.enum(CSV_HEADERS).default('normalize');
