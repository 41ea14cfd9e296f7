/** `source.json`: rows from the array of records in a JSON file (at the top or at a path), read as a stream. */
import { z } from 'zod';
import { ColumnSpecSchema, refineUniqueNames } from '../columns/columns';
import { JsonPathParam } from '../json-path';
import { MaxRejectsSchema } from '../max-rejects';
import { PathParam } from './common-params';
import { describeNode } from './describe';

/** A column of a JSON record: `key` is the record's key when it is not a valid column name (`"US Gross"`). */
export const JsonColumnSchema = ColumnSpecSchema.extend({ key: z.string().min(1).optional() }).strict();
export type JsonColumn = z.output<typeof JsonColumnSchema>;

export const SourceJsonParams = z
  .object({
    path: PathParam,
    /** Path of the array of records: `data.items`, `results[0].rows`; "" (the default) for an array at the top. */
    records: JsonPathParam.default(''),
    /**
     * The keys to take from each record (`key`, default the name), with their types, in output order; a missing key
     * is NULL. Without them the columns are inferred from the first `inferRecords` records.
     */
    columns: z.array(JsonColumnSchema).min(1, 'declare at least one column').superRefine(refineUniqueNames).optional(),
    /** Without `columns`: how many records the column names and types are inferred from. */
    inferRecords: z.number().int().min(1).max(1_000_000).default(1000),
    /** Records that do not fit the columns tolerated (a count, or `{ ratio }`) before the node fails; default 0. */
    maxRejects: MaxRejectsSchema,
  })
  .strict();
export type SourceJsonParams = z.output<typeof SourceJsonParams>;

export const sourceJsonDescription = describeNode({
  name: 'source.json',
  description: 'Reads the array of records of a JSON file (at the top or at `records`), streamed in constant memory.',
  params: SourceJsonParams,
  stream: 'source',
  staging: true,
});
