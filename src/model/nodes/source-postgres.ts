/** `source.postgres`: the rows of one query with bound parameters, read through a server-side cursor. */
import { z } from 'zod';
import { ConnectionParam } from './common-params';
import { describeNode } from './describe';
import { PartitionByParam } from './partition-params';

export const SourcePostgresParams = z
  .object({
    /**
     * One query (SELECT, WITH ... SELECT, VALUES or TABLE). Give it an ORDER BY on a unique key when it feeds a
     * load: a retry resumes after the rows already committed, by position, so it must see them in the same order.
     */
    query: z
      .string()
      .min(1)
      .refine((s) => /^\s*(\(|select\b|with\b|values\b|table\b)/i.test(s), {
        message: 'query must be one SELECT, WITH ... SELECT, VALUES or TABLE statement',
      }),
    /** Values bound to $1, $2, ... in `query`. */
    params: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).default([]),
    connection: ConnectionParam,
    /** Rows per FETCH from the cursor. */
    fetchRows: z.number().int().min(1).max(1_000_000).default(5_000),
    /**
     * Reads the query as `parts` ranges of `column`'s values, each in its own snapshot, one partition each. Read by
     * the run's partition listing (src/data/partitions/key-ranges.ts); the reader reads one range.
     */
    partitionBy: PartitionByParam.optional(),
  })
  .strict();
export type SourcePostgresParams = z.output<typeof SourcePostgresParams>;

export const sourcePostgresDescription = describeNode({
  name: 'source.postgres',
  description: 'Reads the rows of a query (with bound params) through a server-side cursor, in batches.',
  params: SourcePostgresParams,
  stream: 'source',
  staging: true,
});
