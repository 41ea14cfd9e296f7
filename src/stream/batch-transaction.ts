/**
 * One load batch as one transaction: claim the ledger row, COPY the rows, write the rejects, record the
 * counts, commit. If the claim finds the batch already committed, the transaction is rolled back and the
 * batch's rows are only counted.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { claimBatch, committedBatches, recordBatchCounts, type LedgerBatch, type LedgerKey } from '../db/ledger';
import { insertRejects } from '../db/rejects';
import type { FieldValue, RowChunk, RowReject } from './batch';
import { openCopy } from './copy-writer';
import { InputChangedError } from './errors';

/** Writes the rows of one batch inside the batch's transaction. COPY by default; an upsert for `mode: upsert`. */
export interface BatchWriter {
  /** Sends rows; resolves when the caller may send more. */
  write(part: RowChunk): Promise<void>;
  /** Ends the batch's writes; resolves with the rows stored and the rows the database refused (as rejects). */
  finish(): Promise<{ readonly stored: number; readonly rejects: readonly RowReject[] }>;
  /** Stops writing; nothing of this batch may become visible. */
  abort(reason: Error): Promise<void>;
}

/** Opens the writer of one batch on the batch's client (inside its open transaction). */
export type BatchWriterFactory = (client: pg.ClientBase, table: string, columns: readonly string[]) => BatchWriter;

/** The default writer: `COPY table (columns) FROM STDIN`. */
export const copyBatchWriter: BatchWriterFactory = (client, table, columns) => {
  const copy = openCopy(client, table, columns);
  return {
    write: (part) => copy.write(part.rows, part.clean),
    finish: async () => ({ stored: await copy.finish(), rejects: [] }),
    abort: (reason) => copy.abort(reason),
  };
};

/** Where a batch goes. */
export interface BatchTarget {
  readonly client: pg.ClientBase;
  readonly table: string;
  readonly columns: readonly string[];
  readonly key: LedgerKey;
  /** Schema of the ledger and rejects tables. */
  readonly projectSchema: string;
  readonly writer: BatchWriterFactory;
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
    private readonly copy: BatchWriter | undefined,
  ) {}

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
      return new BatchTransaction(target, batchNo, undefined, target.writer(client, target.table, target.columns));
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** Adds a part of a chunk: its rows (written unless skipped) and its rejects (written at commit). */
  async add(part: RowChunk): Promise<void> {
    const { rows, rejects } = part;
    this.rows += rows.length;
    if (rows.length > 0) {
      this.firstRow ??= rows[0];
      this.lastRow = rows[rows.length - 1];
    }
    if (this.skipped) {
      this.skippedRejects += rejects.length;
      return;
    }
    for (const r of rejects) this.rejects.push(r);
    await this.copy?.write(part);
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
    await insertRejects(client, key, this.batchNo, this.rejects, projectSchema);
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
