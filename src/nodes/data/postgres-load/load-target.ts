/**
 * What `sink.postgres` does with its rows: prepares the target (exists, or created; columns and types checked
 * before anything is written), then loads by mode.
 */
import type pg from 'pg';
import { datasetColumn, type NodeOutput } from '../../../model/state';
import { quoteIdent } from '../../../model/identifiers';
import type { DataNodeContext } from '../../node-type';
import type { Partition, SinkPostgresParams } from '../../../model/nodes/sink-postgres';
import { checkpointedLoad } from './checkpointed-load';
import { TargetTableError } from '../../../data/errors';
import { RejectGate } from '../../../data/rows/reject-gate';
import type { RowStream, Stats } from '../../../data/rows/stream';
import {
  createTargetTable,
  describeTable,
  matchColumns,
  targetChecks,
  type TargetTable,
} from '../../../data/load/target-table';
import { checkedForTarget } from '../../../data/load/checked-stream';
import { loadAtomically, type TargetPartition } from './atomic';
import { upsertWriter } from '../../../data/load/upsert-writer';
import { analyzeTable, estimatedRows, shouldAnalyze } from '../../../data/load/analyze';
import { requirePostgis } from '../../../data/geo/postgis';
import { createSpatialIndexes } from '../../../data/geo/spatial-index';

export async function loadIntoTarget(ctx: DataNodeContext<SinkPostgresParams>, input: RowStream): Promise<NodeOutput> {
  const p = ctx.params;
  const pool = ctx.data.pool(p.connection);
  await ctx.data.ready(pool);
  const target = await prepareTarget(ctx, pool, input);
  const matched = matchColumns(ctx.nodeId, p.table, target, input.columns);
  if (p.mode === 'upsert') await checkUniqueKey(ctx.nodeId, pool, target, p.key ?? []);
  const gate = new RejectGate(ctx.nodeId, p.maxRejects);
  const stream: RowStream = {
    columns: input.columns,
    chunks: checkedForTarget(input.chunks, targetChecks(input.columns, matched), gate),
  };
  const columnNames = matched.map((t) => t.name);
  // Read before the load: the share it changes is of the rows the planner knew about.
  const estimateBefore = p.mode === 'replace' ? -1 : await estimatedRows(pool, target.qualified);
  let stats: Stats;
  if (p.mode === 'replace' || p.mode === 'replace-where' || p.atomic) {
    stats = await loadAtomically(ctx, pool, target, {
      stream,
      columnNames,
      batchRows: p.batchRows,
      publish:
        p.mode === 'replace'
          ? { kind: 'swap' }
          : p.mode === 'replace-where'
            ? { kind: 'partition', partition: partitionOf(ctx.nodeId, target, p.where as Partition) }
            : { kind: 'insert' },
    });
  } else {
    const writer =
      p.mode === 'upsert'
        ? upsertWriter({
            qualified: target.qualified,
            columns: matched.map((t) => ({ name: t.name, type: t.baseType })),
            key: (p.key ?? []).map((k) => matched[input.columns.findIndex((c) => c.name === k)]?.name ?? k),
            onRefused: (rejects) => gate.count(0, rejects),
          })
        : undefined;
    const load = await checkpointedLoad(ctx, {
      pool,
      table: `${target.schema}.${target.name}`,
      stream,
      columnNames,
      batchRows: p.batchRows,
      writer,
      continueLedger: true,
    });
    stats = load.stats;
  }
  if (p.spatialIndex) await createSpatialIndexes(pool, target, input.columns, matched);
  const { records, rejected } = gate.totals;
  // After the last batch or the publish: what the next queries plan with is the rows committed.
  const analyzed =
    shouldAnalyze(p.analyze, stats.rowsWritten ?? 0, estimateBefore) &&
    (await analyzeTable(pool, target.qualified, (m) => ctx.log.warn(m)));
  return {
    stats: { rowsRead: records, ...stats, rowsRejected: rejected, analyzed: analyzed ? 1 : 0 },
    dataset: {
      kind: 'table',
      location: `${target.schema}.${target.name}`,
      rows: stats.rowsWritten,
      columns: input.columns.map((c, i) => datasetColumn(c, matched[i]?.name ?? c.name)),
    },
  };
}

async function prepareTarget(
  ctx: DataNodeContext<SinkPostgresParams>,
  pool: pg.Pool,
  input: RowStream,
): Promise<TargetTable> {
  const p = ctx.params;
  await requirePostgis(pool, ctx.nodeId, input.columns);
  let target = await describeTable(pool, p.table);
  if (!target) {
    if (!p.createTable)
      throw new TargetTableError(ctx.nodeId, p.table, 'does not exist; create it, or set createTable: true');
    await createTargetTable(pool, p.table, input.columns, p.key);
    target = await describeTable(pool, p.table);
    if (!target) throw new TargetTableError(ctx.nodeId, p.table, 'was created but cannot be found');
  }
  return target;
}

async function checkUniqueKey(
  nodeId: string,
  pool: pg.Pool,
  target: TargetTable,
  key: readonly string[],
): Promise<void> {
  const { rows } = await pool.query<{ cols: string[] }>(
    `SELECT array_agg(a.attname::text ORDER BY a.attname) AS cols
     FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indpred IS NULL
     GROUP BY i.indexrelid`,
    [target.qualified],
  );
  const wanted = [...key].map((k) => target.columns.find((c) => c.name.toLowerCase() === k.toLowerCase())?.name ?? k);
  const sorted = JSON.stringify([...wanted].sort());
  if (!rows.some((r) => JSON.stringify(r.cols) === sorted))
    throw new TargetTableError(
      nodeId,
      `${target.schema}.${target.name}`,
      `upsert on (${wanted.map((k) => quoteIdent(k, 'column')).join(', ')}) needs a unique index or primary key on exactly ` +
        `those columns; add one (CREATE UNIQUE INDEX ...), or change key`,
    );
}

/** The partition's column as the target has it (its exact name and type, for the bound values). */
function partitionOf(nodeId: string, target: TargetTable, where: Partition): TargetPartition {
  const column =
    target.columns.find((c) => c.name === where.column) ??
    target.columns.find((c) => c.name.toLowerCase() === where.column.toLowerCase());
  if (!column)
    throw new TargetTableError(
      nodeId,
      `${target.schema}.${target.name}`,
      `has no column ${quoteIdent(where.column, 'column')} for where; its columns are ${target.columns.map((c) => c.name).join(', ')}`,
    );
  return { ...where, column: column.name, type: column.type };
}
