/** `transform.filter`: keeps the rows for which a predicate (or a registered filter) is true. */
import { z } from 'zod';
import { zExpression } from '../expr/schema';
import { MaxRejectsSchema } from '../max-rejects';
import { NAME_RE } from '../schema';
import { describeNode } from './describe';

export const TransformFilterParams = z
  .object({
    /** A predicate in the expression language, e.g. `amount > 0 and country == 'US'`. */
    where: zExpression.optional(),
    /** A filter function registered with the worker, instead of `where`. */
    fn: z.string().regex(NAME_RE, 'a registered function name').optional(),
    /** Rows whose predicate fails to evaluate (e.g. division by zero) tolerated; default 0. */
    maxRejects: MaxRejectsSchema,
  })
  .strict()
  .refine((p) => (p.where === undefined) !== (p.fn === undefined), {
    message: 'give exactly one of `where` (an expression) or `fn` (a registered filter)',
  });
export type TransformFilterParams = z.output<typeof TransformFilterParams>;

export const transformFilterDescription = describeNode({
  name: 'transform.filter',
  description: 'Keeps the rows for which `where` (an expression) or a registered filter function is true.',
  params: TransformFilterParams,
  stream: 'transform',
  staging: true,
});
