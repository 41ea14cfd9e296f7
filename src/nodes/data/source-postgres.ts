/**
 * `source.postgres`: the rows of a query with bound parameters, read through a server-side cursor in batches of
 * `fetchRows`, values kept as the text Postgres sends (what COPY takes back unchanged).
 */
import { openQueryCursor } from '../../data/tables/query-cursor';
import { defineStreamNode } from './define';
import { sourcePostgresDescription } from '../../model/nodes/source-postgres';

export const sourcePostgres = defineStreamNode(sourcePostgresDescription, {
  openSource(ctx) {
    const p = ctx.params;
    const { query, params, fetchRows } = p;
    return openQueryCursor(ctx.data.pool(p.connection), { nodeId: ctx.nodeId, query, params, fetchRows });
  },
});
