/**
 * One load batch as one transaction: claim the ledger row, COPY the rows, write the rejects, record the
 * counts, commit. If the claim finds the batch already committed, the transaction is rolled back and the
 * batch's rows are only counted.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { claimBatch, committedBatches, recordBatchCounts, type LedgerBatch, type LedgerKey } from '../db/ledger';
import { insertRejects } from '../db/rejects';
import type { FieldValue, RowReject } from './batch';
import { openCopy, type CopyWriter } from './copy-writer';
import { InputChangedError } from './errors';

/** Where a batch goes. */
export interface BatchTarget {
  readonly client: pg.ClientBase;
  readonly table: string;
  readonly columns: readonly string[];
  readonly key: LedgerKey;
  /** Schema of the ledger and rejects tables. */
  readonly projectSchema: string;
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
    private readonly copy: CopyWriter | undefined,
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
      return new BatchTransaction(target, batchNo, undefined, openCopy(client, target.table, target.columns));
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** Adds rows (sent to COPY unless skipped) and rejects (written at commit). */
  async add(rows: readonly (readonly FieldValue[])[], clean: boolean, rejects: readonly RowReject[]): Promise<void> {
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
    await this.copy?.write(rows, clean);
  }

  /** Ends the COPY, writes rejects and counts, and commits. */
  async commit(): Promise<void> {
    const done = this.committed;
    if (done) {
      const fingerprint = this.fingerprint();
      if (done.rowCount !== this.rows || done.rejectCount !== this.skippedRejects || done.fingerprint !== fingerprint)
        throw new InputChangedError(
          this.batchNo,
          { rows: done.rowCount, rejects: done.rejectCount, fingerprint: done.fingerprint },
          { rows: this.rows, rejects: this.skippedRejects, fingerprint },
        );
      return;
    }
    if (!this.copy) return;
    const { client, key, projectSchema } = this.target;
    const stored = await this.copy.finish();
    if (stored !== this.rows)
      throw new Error(`COPY stored ${stored} rows of batch ${this.batchNo}, expected ${this.rows}`);
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
