/** `transform.filter`: keeps the rows for which a predicate is true (NULL and false drop the row). */
import { z } from 'zod';
import { InputDatasetError } from '../../data/errors';
import { rowStage } from '../../data/transforms/row-stage';
import { NAME_RE } from '../../model/schema';
import { compileExpression, isTrue, zExpression } from '../../model/expr';
import { MaxRejectsSchema } from '../../model/max-rejects';
import { defineStreamNode } from './define';
import { registeredFilter, rowObject } from '../../data/transforms/registered-functions';

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

export const transformFilter = defineStreamNode({
  name: 'transform.filter',
  description: 'Keeps the rows for which `where` (an expression) or a registered filter function is true.',
  params: TransformFilterParams,
  stream: {
    role: 'transform',
    transform(ctx, input) {
      const p = ctx.params;
      let keep: (row: (string | null)[]) => boolean;
      if (p.fn) {
        const fn = registeredFilter(ctx.data.functions, ctx.nodeId, p.fn);
        keep = (row) => fn(rowObject(input, row)) === true;
      } else {
        let expr;
        try {
          expr = compileExpression(p.where as string, input);
        } catch (err) {
          throw new InputDatasetError(ctx.nodeId, `where: ${(err as Error).message}`);
        }
        keep = (row) => isTrue(expr.evaluate(row));
      }
      return rowStage({
        nodeId: ctx.nodeId,
        columns: input,
        maxRejects: p.maxRejects,
        addsText: false,
        fn: (row) => (keep(row) ? row : undefined),
      });
    },
  },
});
