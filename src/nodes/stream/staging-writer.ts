/**
 * Writes a node's output rows to its staging table: the dataset its dependents read by reference.
 */
import { datasetColumn, type NodeOutput } from '../../model/state';
import type { DataNodeContext } from '../node-type';
import { checkpointedLoad } from '../data/postgres-load/checkpointed-load';
import type { RowStream } from '../../data/rows/stream';
import { createStagingTable } from '../../data/tables/staging';

export async function writeStaging(ctx: DataNodeContext<unknown>, stream: RowStream): Promise<NodeOutput> {
  const pool = ctx.data.pool();
  await ctx.data.ready(pool);
  const schemas = { project: ctx.data.projectSchema, staging: ctx.data.stagingSchema };
  const run = { workflowId: ctx.workflowId, runId: ctx.runId };
  const table = await createStagingTable(pool, schemas, run, ctx.nodeId, stream.columns);
  const load = await checkpointedLoad(ctx, { pool, table: `${table.schema}.${table.name}`, stream });
  return {
    stats: load.stats,
    dataset: {
      kind: 'table',
      location: `${table.schema}.${table.name}`,
      rows: load.result.rows,
      columns: stream.columns.map((c) => datasetColumn(c, c.name)),
    },
  };
}
