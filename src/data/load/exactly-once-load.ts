/**
 * The exactly-once batched load. Records are grouped into batches by position (batch n holds records
 * (n-1)*batchRows .. n*batchRows-1), so every attempt over the same input forms the same batches. Each batch
 * commits in one transaction together with its ledger row; a batch whose ledger row exists is skipped.
 * The caller heartbeats the last committed batch from `onBatchCommitted` and passes it back as
 * `resumeAfterBatch`; the ledger, read at the start, makes even a rerun from scratch skip what is loaded.
 * Skipped batches are still read (batch boundaries are found by counting records), and their counts are
 * compared with the ledger's, so an input that changed between attempts fails instead of loading wrongly.
 * For appends, a batch commits on one connection while the next is written on another (ConnectionPair); commits
 * and their callbacks still come in batch order.
 */
import type pg from 'pg';
import { committedBatches, ledgerPrunedAt, type LedgerBatch } from './ledger';
import { LedgerPrunedError } from '../errors';
import { PROJECT_SCHEMA } from '../../platform/db/migrate';
import { splitChunk, type RowChunk } from '../rows/batch';
import {
  BatchTransaction,
  copyBatchWriter,
  type BatchTarget,
  type BatchWriterFactory,
  type StagedPart,
} from './batch-transaction';
import { ConnectionPair } from './connection-pair';
import { DEFAULT_BATCH_ROWS } from '../../model/limits';
import { readAhead } from '../rows/read-ahead';

/** Details passed to `onBatchCommitted`. */
export interface BatchCommitted {
  readonly batchNo: number;
  /** Good rows in batches 1..batchNo, loaded by this attempt or an earlier one. */
  readonly rowsSoFar: number;
  /** Rows this attempt loaded. */
  readonly rowsLoaded: number;
  /** True when an earlier attempt had committed this batch. */
  readonly alreadyCommitted: boolean;
}

/** Input of {@link loadBatches}. */
export interface LoadBatchesInput {
  readonly pool: pg.Pool;
  /** Target table, `table` or `schema.table`. */
  readonly target: string;
  /** Target columns, in the order of the values in each row. */
  readonly columns: readonly string[];
  readonly workflowId: string;
  /** The run's first execution run id. */
  readonly runId: string;
  readonly nodeId: string;
  /**
   * The run whose ledger this load continues (a rerun's node that loaded part of its rows in the run it repeats):
   * batches committed there are skipped. Rejects are still recorded under `workflowId` and `runId`.
   */
  readonly ledgerRun?: { readonly workflowId: string; readonly runId: string };
  /** Rows, already validated; rejects carried in the chunks are written to the rejects table. */
  readonly chunks: AsyncIterable<RowChunk>;
  readonly batchRows?: number;
  /**
   * The last batch the previous attempt reported committed (from its heartbeat). It must be in the ledger
   * (else the load fails loudly); the ledger, read once at the start, is what decides which batches to skip.
   */
  readonly resumeAfterBatch?: number;
  /** Called after each batch commits (or is found committed); a throw stops the load after that batch. */
  readonly onBatchCommitted?: (batchNo: number, rowsSoFar: number, info: BatchCommitted) => void | Promise<void>;
  /** Schema of the ledger and rejects tables (default `pipewright`). */
  readonly projectSchema?: string;
  /** How a batch's rows are written; COPY by default. */
  readonly writer?: BatchWriterFactory<unknown>;
  /** Aborting stops the COPY and rolls back the open batch. */
  readonly signal?: AbortSignal;
}

/** Result of {@link loadBatches}. */
export interface LoadBatchesResult {
  readonly batches: number;
  readonly lastBatchNo: number;
  readonly records: number;
  readonly rows: number;
  readonly rowsLoaded: number;
  readonly rejected: number;
}

/** Loads `chunks` into `target` exactly once in effect; see the module comment. */
export async function loadBatches(input: LoadBatchesInput): Promise<LoadBatchesResult> {
  const batchRows = input.batchRows ?? DEFAULT_BATCH_ROWS;
  let records = 0;
  let rejected = 0;
  let rows = 0;
  let rowsLoaded = 0;
  let batches = 0;
  let open: BatchTransaction | undefined;
  const writer = input.writer ?? (copyBatchWriter as BatchWriterFactory<unknown>);
  const clients = new ConnectionPair(input.pool, writer.overlapCommits === true);
  const first = await clients.first();
  // Each batch runs on the connection the pair gives it.
  const base: Omit<BatchTarget, 'client'> = {
    table: input.target,
    columns: input.columns,
    key: { ...(input.ledgerRun ?? { workflowId: input.workflowId, runId: input.runId }), nodeId: input.nodeId },
    rejectsKey: { workflowId: input.workflowId, runId: input.runId, nodeId: input.nodeId },
    projectSchema: input.projectSchema ?? PROJECT_SCHEMA,
    writer,
  };
  const commit = async (batch: BatchTransaction) => {
    await batch.commit();
    batches++;
    rows += batch.rows;
    if (!batch.skipped) rowsLoaded += batch.rows;
    const info = { batchNo: batch.batchNo, rowsSoFar: rows, rowsLoaded, alreadyCommitted: batch.skipped };
    await input.onBatchCommitted?.(batch.batchNo, rows, info);
  };
  // Ends the open batch. Its commit runs while the next batch is written (see ConnectionPair), in batch order.
  const endBatch = async (): Promise<void> => {
    const batch = open as BatchTransaction;
    await clients.settled();
    // A stop asked for while the previous batch committed (its onBatchCommitted, an abort) rolls this one back.
    input.signal?.throwIfAborted();
    open = undefined;
    await clients.startCommit(batch.client, () => commit(batch));
  };
  try {
    const prunedAt = await ledgerPrunedAt(first, base.key, base.projectSchema);
    if (prunedAt) throw new LedgerPrunedError(input.nodeId, base.key.workflowId, base.key.runId, prunedAt);
    const committed = new Map<number, LedgerBatch>();
    for (const b of await committedBatches(first, base.key, base.projectSchema)) committed.set(b.batchNo, b);
    const resumeAfter = input.resumeAfterBatch ?? 0;
    if (resumeAfter > 0 && !committed.has(resumeAfter))
      throw new Error(`resumeAfterBatch is ${resumeAfter} but the ledger has no such batch for this workflow and node`);
    const parts = stageParts(input.chunks, batchRows, writer, (batchNo) => committed.has(batchNo));
    for await (const part of readAhead(parts, writer.readAheadBytes)) {
      input.signal?.throwIfAborted();
      clients.throwIfCommitFailed();
      open ??= await BatchTransaction.begin(
        { ...base, client: await clients.free() },
        part.batchNo,
        committed.get(part.batchNo),
      );
      records += part.recordCount;
      rejected += part.rejects.length;
      await open.add(part);
      if (part.firstRecord + part.recordCount === part.batchNo * batchRows) await endBatch();
    }
    input.signal?.throwIfAborted();
    if (open) await endBatch();
    await clients.settled();
  } catch (err) {
    const reason = err instanceof Error ? err : new Error(String(err));
    await open?.rollback(reason);
    // A commit in flight finishes (or fails) on its own; its batch is whole either way.
    await clients.settled().catch(() => undefined);
    // A client may be mid-protocol after a failed COPY: do not return it to the pool.
    clients.release(reason);
    throw err;
  }
  clients.release();
  const lastBatchNo = records === 0 ? 0 : Math.ceil(records / batchRows);
  return {
    batches,
    lastBatchNo,
    records,
    rows,
    rowsLoaded,
    rejected,
  };
}

/**
 * Splits chunks at batch boundaries and prepares each part for the writer (for COPY: encodes it), dropping the
 * row arrays so they die young. Parts of batches already committed are only counted, never prepared.
 */
async function* stageParts(
  chunks: AsyncIterable<RowChunk>,
  batchRows: number,
  writer: BatchWriterFactory<unknown>,
  isCommitted: (batchNo: number) => boolean,
): AsyncGenerator<StagedPart> {
  for await (let chunk of chunks) {
    while (chunk.recordCount > 0) {
      const batchNo = Math.floor(chunk.firstRecord / batchRows) + 1;
      const [part, rest] = splitChunk(chunk, batchNo * batchRows);
      const rows = part.rows;
      const prepared = isCommitted(batchNo) ? undefined : writer.prepare(part);
      yield {
        batchNo,
        firstRecord: part.firstRecord,
        recordCount: part.recordCount,
        rowCount: rows.length,
        firstRow: rows[0],
        lastRow: rows[rows.length - 1],
        rejects: part.rejects,
        payload: prepared?.payload,
        bytes: (prepared?.bytes ?? 0) + 256,
      };
      chunk = rest;
    }
  }
}
