/**
 * `transform.map`: reshapes rows: defaults for NULLs, computed columns in the expression language, casts,
 * renames and drops; or a map function registered with the worker under a name.
 */
import { InputDatasetError } from '../../data/errors';
import { compileMapPlan, MapPlanError } from '../../data/transforms/map-plan';
import { rowStage } from '../../data/transforms/row-stage';
import { ColumnsSchema } from '../../model/columns/columns';
import { compileWorkerRowCheck } from '../../data/rows/row-check';
import { defineStreamNode } from './define';
import { fieldOf, registeredMap, rowObject } from '../../data/transforms/registered-functions';
import { transformMapDescription } from '../../model/nodes/transform-map';

export const transformMap = defineStreamNode(transformMapDescription, {
  transform(ctx, input) {
    const p = ctx.params;
    if (p.fn) {
      const reg = registeredMap(ctx.data.functions, ctx.nodeId, p.fn);
      const columns = ColumnsSchema.parse(reg.columns);
      const check = compileWorkerRowCheck(columns);
      return rowStage({
        nodeId: ctx.nodeId,
        columns,
        maxRejects: p.maxRejects,
        addsText: true,
        fn: (row) => {
          const obj = reg.fn(rowObject(input, row));
          const out = columns.map((c) => fieldOf(obj[c.name]));
          const reason = check(out, false);
          if (reason) throw new Error(`${p.fn} returned ${reason}`);
          return out;
        },
      });
    }
    try {
      const plan = compileMapPlan(p, input);
      return rowStage({
        nodeId: ctx.nodeId,
        columns: plan.columns,
        maxRejects: p.maxRejects,
        addsText: plan.addsText,
        fn: plan.apply,
      });
    } catch (err) {
      if (err instanceof MapPlanError) throw new InputDatasetError(ctx.nodeId, err.message);
      throw err;
    }
  },
});
