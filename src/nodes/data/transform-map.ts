/**
 * `transform.map`: reshapes rows: defaults for NULLs, computed columns in the expression language, casts,
 * renames and drops; or a map function registered with the worker under a name.
 */
import { z } from 'zod';
import { InputDatasetError } from '../../data/errors';
import { compileMapPlan, MapPlanError } from '../../data/transforms/map-plan';
import { rowStage } from '../../data/transforms/row-stage';
import { NAME_RE } from '../../model/schema';
import { zIdentifier } from '../../model/identifiers';
import { zExpression } from '../../model/expr';
import { COLUMN_TYPES, ColumnsSchema, compileRowCheck, type ColumnType } from '../../model/columns/columns';
import { MaxRejectsSchema } from '../../model/max-rejects';
import { columnRecord } from './column-record';
import { defineStreamNode } from './define';
import { fieldOf, registeredMap, rowObject } from '../../data/transforms/registered-functions';

const ColumnTypeParam = z.enum(Object.keys(COLUMN_TYPES) as [ColumnType, ...ColumnType[]]);

export const TransformMapParams = z
  .object({
    /** Value for NULLs of a column (applied first): `defaults: { country: US }`. */
    defaults: columnRecord(z.union([z.string(), z.number(), z.boolean()])).optional(),
    /** Computed columns, from the input columns (after defaults); a name that exists replaces that column. */
    compute: z
      .array(z.object({ name: zIdentifier('column'), expr: zExpression, type: ColumnTypeParam.optional() }).strict())
      .optional(),
    /** New declared types; a value that does not fit the type is a reject. */
    cast: columnRecord(ColumnTypeParam).optional(),
    /** Old name to new name. */
    rename: columnRecord(zIdentifier('column')).optional(),
    /** Columns to leave out. */
    drop: z.array(zIdentifier('column')).optional(),
    /** A map function registered with the worker; excludes the options above. */
    fn: z.string().regex(NAME_RE, 'a registered function name').optional(),
    /** Rows the map refuses (an expression error, a value that does not fit) tolerated; default 0. */
    maxRejects: MaxRejectsSchema,
  })
  .strict()
  .refine((p) => !p.fn || !(p.defaults || p.compute || p.cast || p.rename || p.drop), {
    message: '`fn` replaces defaults, compute, cast, rename and drop; use one or the other',
    path: ['fn'],
  })
  .refine((p) => p.fn || p.defaults || p.compute || p.cast || p.rename || p.drop, {
    message: 'give at least one of defaults, compute, cast, rename, drop or fn',
  });
export type TransformMapParams = z.output<typeof TransformMapParams>;

export const transformMap = defineStreamNode({
  name: 'transform.map',
  description: 'Reshapes rows: defaults, computed columns (expressions), casts, renames, drops; or a registered map.',
  params: TransformMapParams,
  stream: {
    role: 'transform',
    transform(ctx, input) {
      const p = ctx.params;
      if (p.fn) {
        const reg = registeredMap(ctx.data.functions, ctx.nodeId, p.fn);
        const columns = ColumnsSchema.parse(reg.columns);
        const check = compileRowCheck(columns);
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
  },
});
