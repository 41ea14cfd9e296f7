/**
 * `transform.lookup`: enriches rows with columns looked up by key in a Postgres table (a dimension) or through a
 * loader registered with the worker. Lookups go through the worker's two-level cache (namespace `lookup`); per
 * chunk, the keys the cache lacks are fetched in one `WHERE key = ANY($1)` query.
 */
import { z } from 'zod';
import { InputDatasetError } from '../../data/errors';
import { functionLookupSource, tableLookupSource, type LookupSource } from '../../data/transforms/lookup-source';
import { lookupStage, type LookupEntry } from '../../data/transforms/lookup-stage';
import { durationMs, parseDuration } from '../../model/duration';
import { DurationSchema, NAME_RE } from '../../model/schema';
import { identifierProblem, zIdentifier, zQualifiedName } from '../../model/identifiers';
import { ColumnsSchema } from '../../model/columns/columns';
import { MaxRejectsSchema } from '../../model/max-rejects';
import type { NodeContext } from '../node-type';
import { ConnectionParam } from './common-params';
import { defineStreamNode } from './define';

/** The cache namespace of lookups (`PIPEWRIGHT_CACHE_TTL_LOOKUP` sets its TTL). */
export const LOOKUP_NAMESPACE = 'lookup';

export { lookupCachePrefix } from '../../data/transforms/lookup-source';

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

async function openSource(ctx: NodeContext<TransformLookupParams>): Promise<LookupSource> {
  const p = ctx.params;
  if (p.table !== undefined)
    return tableLookupSource({
      nodeId: ctx.nodeId,
      pool: ctx.data.pool(p.connection),
      connection: p.connection,
      table: p.table,
      key: p.key as string,
      columns: p.columns,
    });
  const registered = ctx.data.functions.lookups.get(p.loader as string);
  if (!registered)
    throw new InputDatasetError(
      ctx.nodeId,
      `no lookup loader "${p.loader}" is registered on this worker (registered: ${[...ctx.data.functions.lookups.keys()].join(', ') || 'none'}); register it with the worker's functions`,
    );
  const all = ColumnsSchema.parse(registered.columns);
  const columns = p.columns
    ? p.columns.map((name) => {
        const c = all.find((x) => x.name.toLowerCase() === name.toLowerCase());
        if (!c)
          throw new InputDatasetError(
            ctx.nodeId,
            `loader "${p.loader}" has no column ${name}; its columns: ${all.map((x) => x.name).join(', ')}`,
          );
        return c;
      })
    : all;
  return functionLookupSource(registered, columns);
}

export const transformLookup = defineStreamNode({
  name: 'transform.lookup',
  description: 'Adds columns looked up by key in a Postgres table or a registered loader, through the two-level cache.',
  params: TransformLookupParams,
  stream: {
    role: 'transform',
    async transform(ctx, input) {
      const p = ctx.params;
      const onName = (p.on ?? p.key) as string;
      const on = input.findIndex((c) => c.name.toLowerCase() === onName.toLowerCase());
      if (on < 0)
        throw new InputDatasetError(
          ctx.nodeId,
          `on: the input has no column ${onName}; its columns: ${input.map((c) => c.name).join(', ')}`,
        );
      const source = await openSource(ctx);
      const names = source.columns.map((c) => `${p.prefix ?? ''}${c.name}`);
      const taken = new Set(input.map((c) => c.name.toLowerCase()));
      const clash = names.filter((n) => taken.has(n.toLowerCase()));
      if (clash.length > 0)
        throw new InputDatasetError(
          ctx.nodeId,
          `the looked-up column${clash.length > 1 ? 's' : ''} ${clash.join(', ')} already exist in the input; set a \`prefix\` or choose \`columns\``,
        );
      return lookupStage({
        nodeId: ctx.nodeId,
        input,
        on,
        source,
        names,
        cache: ctx.data.cache.namespace<LookupEntry>(LOOKUP_NAMESPACE),
        ttlMs: p.ttl === undefined ? undefined : durationMs(p.ttl),
        missing: p.missing,
        maxRejects: p.maxRejects,
        describe: p.table !== undefined ? `${p.key} in ${p.table}` : `key in loader ${p.loader}`,
      });
    },
  },
});
