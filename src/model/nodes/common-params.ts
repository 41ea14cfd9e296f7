/** Params shared by data node types. */
import { z } from 'zod';
import { NAME_RE } from '../schema';

/** A named connection (`DATABASE_URL_<NAME>` on the workers); the default connection when omitted. */
export const ConnectionParam = z
  .string()
  .regex(NAME_RE, 'a connection name: letters, digits, "_" or "-"; the worker reads DATABASE_URL_<NAME>')
  .optional();

/** A file path; relative paths resolve from the worker's working directory. */
export const PathParam = z.string().min(1, 'path is required');

const singleChar = (what: string) =>
  z
    .string()
    .length(1, `${what} must be exactly one character`)
    .refine((c) => c !== '\r' && c !== '\n', `${what} cannot be a line break`);

export const DelimiterParam = singleChar('delimiter').default(',');
export const QuoteParam = singleChar('quote').default('"');
