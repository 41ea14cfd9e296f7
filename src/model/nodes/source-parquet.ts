/** `source.parquet`: rows from a Parquet file, row group by row group; column types from the file's schema. */
import { z } from 'zod';
import { MaxRejectsSchema } from '../max-rejects';
import { PathParam } from './common-params';
import { describeNode } from './describe';

export const SourceParquetParams = z
  .object({
    path: PathParam,
    /** The file's columns to read (top-level names as written in the file), in output order; default all. */
    columns: z
      .array(z.string().min(1))
      .min(1, 'select at least one column')
      .refine((names) => new Set(names).size === names.length, 'a column is selected twice')
      .optional(),
    /** Rows that do not fit their column tolerated (a count, or `{ ratio }`) before the node fails; default 0. */
    maxRejects: MaxRejectsSchema,
  })
  .strict();
export type SourceParquetParams = z.output<typeof SourceParquetParams>;

export const sourceParquetDescription = describeNode({
  name: 'source.parquet',
  description: 'Reads a Parquet file row group by row group, with column types from its schema.',
  params: SourceParquetParams,
  stream: 'source',
  staging: true,
});
