/**
 * A node's exactly-once load into a table (a target or a staging table), resumed from the checkpoint of an
 * earlier attempt and checkpointing every committed batch through the node's heartbeat.
 */
import type pg from 'pg';
import type { DataNodeContext } from '../../node-type';
import type { RowStream, Stats } from '../../../data/rows/stream';
import type { BatchWriterFactory } from '../../../data/load/batch-transaction';
import { loadBatches, type LoadBatchesResult } from '../../../data/load/exactly-once-load';
import { partitionLedgerNodeId } from '../../../model/partitions';

/** What a writing node heartbeats: the last batch committed and the rows committed so far. */
export interface LoadCheckpoint {
  readonly batch: number;
  readonly rows: number;
}

const asCheckpoint = (v: unknown): LoadCheckpoint | undefined => {
  const c = v as Partial<LoadCheckpoint> | undefined;
  return typeof c?.batch === 'number' && typeof c.rows === 'number' ? { batch: c.batch, rows: c.rows } : undefined;
};

export interface CheckpointedLoadInput {
  readonly pool: pg.Pool;
  /** Validated `schema.table`. */
  readonly table: string;
  readonly stream: RowStream;
  /** Target column names, in stream order; default the stream's column names. */
  readonly columnNames?: readonly string[];
  readonly batchRows?: number;
  /** How batches are written; COPY by default. */
  readonly writer?: BatchWriterFactory;
  /** The ledger's node id; default the context's node (and partition; a replace load uses a second key for its swap). */
  readonly ledgerNodeId?: string;
  /**
   * Continue the ledger of the run a rerun repeats (`ctx.ledgerRun`), for a load straight into its target: rows it
   * committed there stay and are not loaded again. Not for loads into tables of the run's own (staging copies).
   */
  readonly continueLedger?: boolean;
}

export interface CheckpointedLoad {
  readonly result: LoadBatchesResult;
  /** rowsWritten (all rows of the load), rowsLoaded (by this attempt), batches, resumedAfterBatch. */
  readonly stats: Stats;
}

export async function checkpointedLoad(
  ctx: DataNodeContext<unknown>,
  input: CheckpointedLoadInput,
): Promise<CheckpointedLoad> {
  const resumed = asCheckpoint(ctx.checkpoint);
  if (resumed) ctx.log.info(`resuming after batch ${resumed.batch} (${resumed.rows} rows committed earlier)`);
  const result = await loadBatches({
    pool: input.pool,
    target: input.table,
    columns: input.columnNames ?? input.stream.columns.map((c) => c.name),
    writer: input.writer,
    workflowId: ctx.workflowId,
    runId: ctx.runId,
    // Each partition of a partitioned node loads its own batches: its ledger key names the partition.
    nodeId: input.ledgerNodeId ?? (ctx.partition ? partitionLedgerNodeId(ctx.nodeId, ctx.partition.index, ctx.partition.fingerprint) : ctx.nodeId),
    ...(input.continueLedger && ctx.ledgerRun ? { ledgerRun: ctx.ledgerRun } : {}),
    chunks: input.stream.chunks,
    batchRows: input.batchRows,
    resumeAfterBatch: resumed?.batch,
    projectSchema: ctx.data.projectSchema,
    signal: ctx.signal,
    onBatchCommitted: (batch, rows) => ctx.heartbeat({ batch, rows } satisfies LoadCheckpoint),
  });
  return {
    result,
    stats: {
      rowsWritten: result.rows,
      rowsLoaded: result.rowsLoaded,
      batches: result.batches,
      ...(resumed ? { resumedAfterBatch: resumed.batch } : {}),
    },
  };
}
