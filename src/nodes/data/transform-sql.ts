/**
 * `transform.sql`: a set-based SQL query over the node's staged inputs, named `{{ inputs.<node id> }}`, whose
 * result becomes the node's output table (the ELT path: joins and aggregates run inside Postgres).
 */
import { datasetColumn, type NodeOutput } from '../../model/state';
import { quoteQualified } from '../../model/identifiers';
import { withTransaction } from '../../platform/db/pools';
import { InputDatasetError, NodeSqlError } from '../../data/errors';
import { classifyPgError } from '../../platform/db/errors';
import { resultColumns, withTableGeometry } from '../../data/tables/result-columns';
import { registerStaging, stagingTableName } from '../../data/tables/staging';
import { implementDataNode, type DataNodeContext } from '../node-type';
import { transformSqlDescription, type TransformSqlParams } from '../../model/nodes/transform-sql';

const PLACEHOLDER = /\{\{\s*inputs\.([A-Za-z][A-Za-z0-9_-]*)\s*\}\}/g;

/** `sql` with each placeholder replaced by the quoted table of that input. */
export function renderInputs(ctx: DataNodeContext<TransformSqlParams>): string {
  return ctx.params.sql.replace(PLACEHOLDER, (_, id: string) => {
    const output = ctx.inputs[id];
    if (!output)
      throw new InputDatasetError(
        ctx.nodeId,
        `sql names {{ inputs.${id} }} but "${id}" is not in needs (needs: ${Object.keys(ctx.inputs).join(', ') || 'none'})`,
      );
    const ds = output.dataset;
    if (!ds || ds.kind !== 'table')
      throw new InputDatasetError(
        ctx.nodeId,
        `input "${id}" has no table to query (it produced ${ds ? 'a file' : 'no dataset'})`,
      );
    return quoteQualified(ds.location);
  });
}

export const transformSql = implementDataNode(transformSqlDescription, {
  async run(ctx): Promise<NodeOutput> {
    const sql = renderInputs(ctx);
    const pool = ctx.data.pool();
    await ctx.data.ready(pool);
    const run = { workflowId: ctx.workflowId, runId: ctx.runId };
    const name = stagingTableName(run, ctx.nodeId);
    const table = `${ctx.data.stagingSchema}.${name}`;
    await registerStaging(
      pool,
      { project: ctx.data.projectSchema, staging: ctx.data.stagingSchema },
      run,
      ctx.nodeId,
      name,
    );
    const started = Date.now();
    try {
      const { rows, columns } = await withTransaction(pool, async (client) => {
        // Idempotent: an attempt after a crash replaces what an earlier one built.
        await client.query(`DROP TABLE IF EXISTS ${quoteQualified(table)}`);
        // The extended protocol takes exactly one statement, so `sql` cannot smuggle in a second one.
        const created = await client.query({
          text: `CREATE UNLOGGED TABLE ${quoteQualified(table)} AS ${sql}`,
          values: ctx.params.params,
          queryMode: 'extended',
        } as never);
        const shape = await client.query(`SELECT * FROM ${quoteQualified(table)} LIMIT 0`);
        const columns = await withTableGeometry(
          client,
          quoteQualified(table),
          await resultColumns(client, shape.fields),
        );
        return { rows: (created as { rowCount: number | null }).rowCount ?? 0, columns };
      });
      return {
        stats: { rowsWritten: rows, ms: Date.now() - started },
        dataset: {
          kind: 'table',
          location: table,
          rows,
          columns: columns.map((c) => datasetColumn(c, c.name)),
        },
      };
    } catch (err) {
      const c = err instanceof Error ? classifyPgError(err) : undefined;
      if (c && !c.retryable) throw new NodeSqlError(ctx.nodeId, `${c.message}; the query was: ${sql}`);
      throw err;
    }
  },
});
