/** `transform.map`: defaults, computed columns, casts, renames and drops; or a registered map function. */
import { z } from 'zod';
import { COLUMN_TYPES, type ColumnType } from '../columns/columns';
import { zExpression } from '../expr/schema';
import { zIdentifier } from '../identifiers';
import { MaxRejectsSchema } from '../max-rejects';
import { NAME_RE } from '../schema';
import { columnRecord } from './column-record';
import { describeNode } from './describe';

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

export const transformMapDescription = describeNode({
  name: 'transform.map',
  description: 'Reshapes rows: defaults, computed columns (expressions), casts, renames, drops; or a registered map.',
  params: TransformMapParams,
  stream: 'transform',
  staging: true,
});
