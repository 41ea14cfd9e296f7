/** `transform.lookup`: adds columns looked up by key in a Postgres table or through a registered loader. */
import { z } from 'zod';
import { parseDuration } from '../duration';
import { identifierProblem, zIdentifier, zQualifiedName } from '../identifiers';
import { MaxRejectsSchema } from '../max-rejects';
import { DurationSchema, NAME_RE } from '../schema';
import { ConnectionParam } from './common-params';
import { describeNode } from './describe';

export const TransformLookupParams = z
  .object({
    /** The table to look rows up in: `table` or `schema.table`. */
    table: zQualifiedName('table').optional(),
    /** A loader registered with the worker, instead of `table`. */
    loader: z.string().regex(NAME_RE, 'a registered loader name').optional(),
    /** With `table`: a named connection (`DATABASE_URL_<NAME>`); default the worker's database. */
    connection: ConnectionParam,
    /** With `table`: the table's key column (a primary key or unique column). */
    key: zIdentifier('column').optional(),
    /** The input column whose value is looked up; default the column named like `key`. */
    on: zIdentifier('column').optional(),
    /** Columns of the table (or the loader) to add; default all of them but the key. */
    columns: z.array(zIdentifier('column')).min(1).optional(),
    /** Put before each added column's name, e.g. `customer_`, when names clash with the input's. */
    prefix: z.string().optional(),
    /** A row whose key is NULL or not found: `null` (add NULLs, the default), `drop`, or `reject`. */
    missing: z.enum(['null', 'drop', 'reject']).default('null'),
    /** How long looked-up rows (and keys found missing) are cached; default the `lookup` namespace's TTL. */
    ttl: DurationSchema.refine((v) => (parseDuration(v) ?? 1) > 0, { message: 'ttl must be longer than 0' }).optional(),
    /** Rows rejected (with `missing: reject`) tolerated before the node fails; default 0. */
    maxRejects: MaxRejectsSchema,
  })
  .strict()
  .refine((p) => (p.table === undefined) !== (p.loader === undefined), {
    message: 'give exactly one of `table` (a Postgres table) or `loader` (a registered loader)',
  })
  .refine((p) => p.table === undefined || p.key !== undefined, {
    message: '`key` names the table column to look up by',
    path: ['key'],
  })
  .refine((p) => p.on !== undefined || p.key !== undefined, {
    message: '`on` names the input column whose value is looked up',
    path: ['on'],
  })
  .refine((p) => p.loader === undefined || (p.key === undefined && p.connection === undefined), {
    message: '`key` and `connection` go with `table`; a loader is asked by the value of `on`',
    path: ['loader'],
  })
  .refine((p) => p.prefix === undefined || p.prefix === '' || identifierProblem(`${p.prefix}x`) === undefined, {
    message: 'prefix must make valid column names: letters, digits and "_", starting with a letter or "_"',
    path: ['prefix'],
  });
export type TransformLookupParams = z.output<typeof TransformLookupParams>;

export const transformLookupDescription = describeNode({
  name: 'transform.lookup',
  description: 'Adds columns looked up by key in a Postgres table or a registered loader, through the two-level cache.',
  params: TransformLookupParams,
  stream: 'transform',
  staging: true,
});
