/** `transform.sql`: one SQL query over the staged inputs, run inside Postgres; its result is the output table. */
import { z } from 'zod';
import { describeNode } from './describe';

export const TransformSqlParams = z
  .object({
    /** One SELECT (or WITH ... SELECT, VALUES) statement; `{{ inputs.<id> }}` names an input's table. */
    sql: z
      .string()
      .min(1)
      .refine((s) => /^\s*(\(|select\b|with\b|values\b|table\b)/i.test(s), {
        message: 'sql must be one query (SELECT, WITH ... SELECT, VALUES or TABLE); its result is the output table',
      }),
    /** Values bound to $1, $2, ... in `sql`. */
    params: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).default([]),
  })
  .strict();
export type TransformSqlParams = z.output<typeof TransformSqlParams>;

export const transformSqlDescription = describeNode({
  name: 'transform.sql',
  description: 'Runs one SQL query over the staged inputs inside Postgres; the result is the output table.',
  params: TransformSqlParams,
  staging: true,
});
