/**
 * One load batch as one transaction: claim the ledger row, COPY the rows, write the rejects, record the
 * counts, commit. If the claim finds the batch already committed, the transaction is rolled back and the
 * batch's rows are only counted.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { claimBatch, committedBatches, recordBatchCounts, type LedgerBatch, type LedgerKey } from './ledger';
import { insertRejects } from './rejects';
import type { RowChunk, RowReject } from '../rows/batch';
import type { FieldValue } from '../../model/columns/columns';
import { openCopy } from './copy-writer';
import { encodeCopyText } from '../formats/copy-text';
import { InputChangedError } from '../formats/errors';

/**
 * A batch's share of one chunk, prepared ahead of its write: the rows shaped for the writer (`payload`), and what
 * the ledger needs (counts, first and last row, rejects). Rows of a batch already committed are not prepared.
 */
export interface StagedPart<P = unknown> {
  readonly batchNo: number;
  readonly firstRecord: number;
  readonly recordCount: number;
  readonly rowCount: number;
  readonly firstRow: readonly FieldValue[] | undefined;
  readonly lastRow: readonly FieldValue[] | undefined;
  readonly rejects: readonly RowReject[];
  /** What the writer sends; undefined for a batch an earlier attempt committed. */
  readonly payload: P | undefined;
  /** Memory the part holds, roughly, to bound how far preparation runs ahead. */
  readonly bytes: number;
}

/** Writes the rows of one batch inside the batch's transaction. COPY by default; an upsert for `mode: upsert`. */
export interface BatchWriter<P = unknown> {
  /** Sends a prepared payload; resolves when the caller may send more. */
  write(payload: P): Promise<void>;
  /** Ends the batch's writes; resolves with the rows stored and the rows the database refused (as rejects). */
  finish(): Promise<{ readonly stored: number; readonly rejects: readonly RowReject[] }>;
  /** Stops writing; nothing of this batch may become visible. */
  abort(reason: Error): Promise<void>;
}

/** How batches are written: `prepare` runs ahead (while earlier batches commit), `open` per batch. */
export interface BatchWriterFactory<P = unknown> {
  /**
   * How many bytes of prepared payloads may wait ahead of the write: enough to keep reading and transforming
   * while a batch commits, and no more (what waits counts towards the worker's memory).
   */
  readonly readAheadBytes: number;
  /**
   * Whether a batch may commit while the next one is written (on another connection). Only for writers whose
   * writes commute: appends, and upserts (which write into a temporary table of the connection and apply it in
   * `finish`, part of the commit). Commits, and so `finish`, still happen in batch order.
   */
  readonly overlapCommits?: boolean;
  /** Shapes a part's rows for `write`, with the memory the result holds. Pure CPU work; no I/O. */
  prepare(part: RowChunk): { readonly payload: P; readonly bytes: number };
  /** Opens the writer of one batch on the batch's client (inside its open transaction). */
  open(client: pg.ClientBase, table: string, columns: readonly string[]): BatchWriter<P>;
}

/**
 * The default writer: `COPY table (columns) FROM STDIN`. Rows are encoded to COPY text ahead of the write, into a
 * Buffer: what waits in the read-ahead lives outside the JS heap, so garbage collection neither copies nor
 * promotes it (strings or row arrays cost far more GC time: docs/benchmarks.md), and the socket needs the bytes anyway.
 */
export const copyBatchWriter: BatchWriterFactory<Buffer> = {
  // About 15K rows of COPY text, enough to bridge a commit. More buys no speed and costs memory: payloads that wait
  // survive scavenges and are freed only by a full collection (figures in docs/benchmarks.md, "Memory").
  readAheadBytes: 1 << 20,
  // Appends commute: batch n+1 is sent while batch n drains and commits.
  overlapCommits: true,
  prepare(part) {
    const data = Buffer.from(encodeCopyText(part.rows, part.clean), 'utf8');
    return { payload: data, bytes: data.length };
  },
  open(client, table, columns) {
    const copy = openCopy(client, table, columns);
    return {
      write: (data) => copy.writeData(data),
      finish: async () => ({ stored: await copy.finish(), rejects: [] }),
      abort: (reason) => copy.abort(reason),
    };
  },
};

/** Where a batch goes. */
export interface BatchTarget {
  readonly client: pg.ClientBase;
  readonly table: string;
  readonly columns: readonly string[];
  readonly key: LedgerKey;
  /** Whose rejects the batch's are (default `key`): a rerun continues another run's ledger, keeping its own rejects. */
  readonly rejectsKey?: LedgerKey;
  /** Schema of the ledger and rejects tables. */
  readonly projectSchema: string;
  readonly writer: BatchWriterFactory<unknown>;
}

/**
 * An open batch. A `skipped` batch was committed by an earlier (or concurrent) attempt: its rows are only
 * counted, and at the end the counts must match the ledger's, or the input has changed.
 */
export class BatchTransaction {
  rows = 0;
  readonly rejects: RowReject[] = [];
  private skippedRejects = 0;
  private firstRow: readonly FieldValue[] | undefined;
  private lastRow: readonly FieldValue[] | undefined;
  private constructor(
    private readonly target: BatchTarget,
    readonly batchNo: number,
    private readonly committed: LedgerBatch | undefined,
    private readonly copy: BatchWriter<unknown> | undefined,
  ) {}

  /** The connection the batch runs on. */
  get client(): pg.ClientBase {
    return this.target.client;
  }

  /** Whether an earlier attempt committed this batch. */
  get skipped(): boolean {
    return this.committed !== undefined;
  }

  /** Opens batch `batchNo`; `committed` is its ledger row when already known to exist. */
  static async begin(target: BatchTarget, batchNo: number, committed?: LedgerBatch): Promise<BatchTransaction> {
    if (committed) return new BatchTransaction(target, batchNo, committed, undefined);
    const { client } = target;
    await client.query('BEGIN');
    try {
      if (!(await claimBatch(client, target.key, batchNo, target.projectSchema))) {
        await client.query('ROLLBACK');
        // Another attempt committed it since this one started.
        const rows = await committedBatches(client, target.key, target.projectSchema);
        const row = rows.find((b) => b.batchNo === batchNo);
        if (!row) throw new Error(`batch ${batchNo} was claimed by another attempt that then rolled back`);
        return new BatchTransaction(target, batchNo, row, undefined);
      }
      return new BatchTransaction(target, batchNo, undefined, target.writer.open(client, target.table, target.columns));
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** Adds a prepared part: its rows (written unless the batch is skipped) and its rejects (written at commit). */
  async add(part: StagedPart): Promise<void> {
    this.rows += part.rowCount;
    if (part.rowCount > 0) {
      this.firstRow ??= part.firstRow;
      this.lastRow = part.lastRow;
    }
    if (this.skipped) {
      this.skippedRejects += part.rejects.length;
      return;
    }
    for (const r of part.rejects) this.rejects.push(r);
    if (part.payload !== undefined) await this.copy?.write(part.payload);
  }

  /** Ends the COPY, writes rejects and counts, and commits. */
  async commit(): Promise<void> {
    const done = this.committed;
    if (done) {
      const fingerprint = this.fingerprint();
      // Records in total: rows a database refused at write time (upsert) moved from rows to rejects.
      if (
        done.rowCount + done.rejectCount !== this.rows + this.skippedRejects ||
        done.rejectCount < this.skippedRejects ||
        done.fingerprint !== fingerprint
      )
        throw new InputChangedError(
          this.batchNo,
          { rows: done.rowCount, rejects: done.rejectCount, fingerprint: done.fingerprint },
          { rows: this.rows, rejects: this.skippedRejects, fingerprint },
        );
      return;
    }
    if (!this.copy) return;
    const { client, key, projectSchema } = this.target;
    const { stored, rejects: refused } = await this.copy.finish();
    if (stored + refused.length !== this.rows)
      throw new Error(`batch ${this.batchNo} stored ${stored} and refused ${refused.length} of ${this.rows} rows`);
    // Rows the database refused count as rejects of the batch, not as rows.
    this.rows = stored;
    for (const r of refused) this.rejects.push(r);
    this.rejects.sort((a, b) => a.recordNo - b.recordNo);
    await insertRejects(client, this.target.rejectsKey ?? key, this.batchNo, this.rejects, projectSchema);
    await recordBatchCounts(
      client,
      key,
      {
        batchNo: this.batchNo,
        rowCount: this.rows,
        rejectCount: this.rejects.length,
        fingerprint: this.fingerprint(),
      },
      projectSchema,
    );
    await client.query('COMMIT');
  }

  /** A digest of the first and last rows: cheap, and it catches an input shifted or edited between attempts. */
  private fingerprint(): string {
    return createHash('sha1')
      .update(JSON.stringify([this.firstRow ?? null, this.lastRow ?? null]))
      .digest('hex')
      .slice(0, 20);
  }

  /** Cancels the COPY and rolls back: nothing of this batch becomes visible. */
  async rollback(reason: Error): Promise<void> {
    if (this.skipped || !this.copy) return;
    await this.copy.abort(reason);
    await this.target.client.query('ROLLBACK').catch(() => undefined);
  }
}
