/**
 * `transform.lookup`: enriches rows with columns looked up by key in a Postgres table (a dimension) or through a
 * loader registered with the worker. Lookups go through the worker's two-level cache (namespace `lookup`); per
 * chunk, the keys the cache lacks are fetched in one `WHERE key = ANY($1)` query.
 */
import { InputDatasetError } from '../../data/errors';
import { functionLookupSource, tableLookupSource, type LookupSource } from '../../data/transforms/lookup-source';
import { lookupStage, type LookupEntry } from '../../data/transforms/lookup-stage';
import { durationMs } from '../../model/duration';
import { ColumnsSchema } from '../../model/columns/columns';
import type { DataNodeContext } from '../node-type';
import { defineStreamNode } from './define';
import { transformLookupDescription, type TransformLookupParams } from '../../model/nodes/transform-lookup';

/** The cache namespace of lookups (`PIPEWRIGHT_CACHE_TTL_LOOKUP` sets its TTL). */
export const LOOKUP_NAMESPACE = 'lookup';

export { lookupCachePrefix } from '../../data/transforms/lookup-source';

async function openSource(ctx: DataNodeContext<TransformLookupParams>): Promise<LookupSource> {
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

export const transformLookup = defineStreamNode(transformLookupDescription, {
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
});
