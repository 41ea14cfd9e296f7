/**
 * `source.postgres`: the rows of a query with bound parameters, read through a server-side cursor in batches of
 * `fetchRows`, values kept as the text Postgres sends (what COPY takes back unchanged); with `partitionBy`, one key
 * range of the query per partition.
 */
import { openKeyRange, type KeyRange } from '../../data/partitions/key-ranges';
import { openQueryCursor } from '../../data/tables/query-cursor';
import { defineStreamNode } from './define';
import { sourcePostgresDescription } from '../../model/nodes/source-postgres';

export const sourcePostgres = defineStreamNode(sourcePostgresDescription, {
  openSource(ctx) {
    const p = ctx.params;
    const { query, params, fetchRows } = p;
    const pool = ctx.data.pool(p.connection);
    // One key range (`partitionBy`), as the run's listing planned it; else the whole query.
    const range = ctx.partition?.descriptor as KeyRange | undefined;
    if (range?.kind === 'key-range' && p.partitionBy)
      return openKeyRange(pool, { nodeId: ctx.nodeId, query, params, fetchRows, column: p.partitionBy.column }, range);
    return openQueryCursor(pool, { nodeId: ctx.nodeId, query, params, fetchRows });
  },
});
