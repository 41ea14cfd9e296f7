/** `transform.filter`: keeps the rows for which a predicate is true (NULL and false drop the row). */
import { InputDatasetError } from '../../data/errors';
import { rowStage } from '../../data/transforms/row-stage';
import { compileExpression, isTrue } from '../../model/expr';
import { defineStreamNode } from './define';
import { registeredFilter, rowObject } from '../../data/transforms/registered-functions';
import { transformFilterDescription } from '../../model/nodes/transform-filter';

export const transformFilter = defineStreamNode(transformFilterDescription, {
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
});
