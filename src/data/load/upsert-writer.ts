/**
 * The batch writer of `mode: upsert`: each batch goes through `COPY` into a temporary table of the connection and is
 * applied with one `INSERT ... SELECT ... ON CONFLICT (key) DO UPDATE`, inside the batch's transaction (with its
 * ledger row). Statements in `upsert-sql.ts`.
 *
 * - Two rows of one key in a batch (compared as the key's type: `1` and `01` in an int key are one key): Postgres
 *   refuses the statement (21000), and it runs again keeping the last row of each key.
 * - Rows Postgres refuses for their data (a value the type cannot take, a constraint): the batch is copied again,
 *   as text, into a twin table and applied in ranges of record numbers under savepoints, halving a refused range
 *   until the refused rows are found. They become rejects with Postgres's reason; the rest is written, in order.
 */
import type pg from 'pg';
import { rowRecordNos, type RowChunk, type RowReject } from '../rows/batch';
import type { FieldValue } from '../../model/columns/columns';
import type { BatchWriter, BatchWriterFactory } from './batch-transaction';
import { formatCsvRecord } from '../formats/csv-format';
import { encodeNumberedCopyText } from '../formats/copy-text';
import { openCopyStatement, type CopyWriter } from './copy-writer';
import { upsertStatements, type UpsertSpec as UpsertSql, type UpsertStatements } from './upsert-sql';

export interface UpsertSpec extends UpsertSql {
  /** Called with the rows the database refused, as they are found. */
  readonly onRefused?: (rejects: readonly RowReject[]) => void;
}

/** A part of a batch as COPY text, its rows numbered. */
interface UpsertPayload {
  readonly data: Buffer;
  readonly rows: number;
}

/** Postgres refuses these for the data in them; anything else (a lost connection) fails the batch. */
const isDataError = (err: unknown): boolean => /^(22|23)/.test(sqlState(err));
/** "ON CONFLICT DO UPDATE command cannot affect row a second time": a key twice in one statement. */
const isKeyTwice = (err: unknown): boolean => sqlState(err) === '21000';
const sqlState = (err: unknown): string => String((err as { code?: unknown }).code ?? '');

export function upsertWriter(spec: UpsertSpec): BatchWriterFactory<UpsertPayload> {
  const sql = upsertStatements(spec);
  const prepare = (part: RowChunk) => {
    const data = Buffer.from(encodeNumberedCopyText(part.rows, part.clean, rowRecordNos(part), part.lineNos), 'utf8');
    return { payload: { data, rows: part.rows.length }, bytes: data.length };
  };
  const open = (client: pg.ClientBase): BatchWriter<UpsertPayload> => new UpsertBatch(client, sql, spec);
  // A batch's writes go to its connection's own temporary table, so batch n+1 is copied while batch n is applied
  // and commits on the other connection; batches are applied in `finish`, which runs in the commit, in batch order
  // (a later batch's rows still win).
  return { readAheadBytes: 1 << 20, overlapCommits: true, prepare, open };
}

/** One batch of an upsert, on the batch's client inside its open transaction. */
class UpsertBatch implements BatchWriter<UpsertPayload> {
  /** The batch's COPY text, kept until it is applied: a batch with refused rows is copied again, as text. */
  private readonly sent: Buffer[] = [];
  private rows = 0;
  private copy: CopyWriter | undefined;
  /** Why Postgres refused the COPY into the typed table (a value its type cannot take). */
  private copyRefused: unknown;
  private readonly started: Promise<void>;
  private readonly refused: RowReject[] = [];

  constructor(
    private readonly client: pg.ClientBase,
    private readonly sql: UpsertStatements,
    private readonly spec: UpsertSpec,
  ) {
    // Created once per connection (the table outlives the transaction, its rows do not); re-created if the
    // transaction that created it rolled back.
    this.started = (async () => {
      await client.query(sql.createTyped);
      await client.query('SAVEPOINT pw_upsert');
      this.copy = openCopyStatement(client, sql.copyTyped);
    })();
    this.started.catch(() => undefined);
  }

  async write(payload: UpsertPayload): Promise<void> {
    this.sent.push(payload.data);
    this.rows += payload.rows;
    await this.started;
    if (this.copyRefused !== undefined) return;
    try {
      await this.copy?.writeData(payload.data);
    } catch (err) {
      if (!isDataError(err)) throw err;
      this.copyRefused = err;
    }
  }

  async finish(): Promise<{ stored: number; rejects: readonly RowReject[] }> {
    await this.started;
    if (this.copyRefused === undefined && (await this.applyTyped())) return { stored: this.rows, rejects: [] };
    await this.client.query('ROLLBACK TO SAVEPOINT pw_upsert');
    await this.applyAsText();
    return { stored: this.rows - this.refused.length, rejects: this.refused };
  }

  async abort(reason: Error): Promise<void> {
    await this.started.catch(() => undefined);
    // After Postgres refused the COPY there is nothing to cancel; the client is rolled back next.
    if (this.copyRefused === undefined) await this.copy?.abort(reason);
  }

  /** Ends the COPY and applies the typed table; false when Postgres refused rows of it. */
  private async applyTyped(): Promise<boolean> {
    try {
      await this.copy?.finish();
    } catch (err) {
      if (!isDataError(err)) throw err;
      return false;
    }
    const { client, sql } = this;
    await client.query('SAVEPOINT pw_apply');
    try {
      await client.query(sql.apply);
      return true;
    } catch (err) {
      await client.query('ROLLBACK TO SAVEPOINT pw_apply');
      if (!isKeyTwice(err)) {
        if (isDataError(err)) return false;
        throw err;
      }
    }
    try {
      await client.query(sql.applyLastWins);
      return true;
    } catch (err) {
      if (!isDataError(err)) throw err;
      return false;
    }
  }

  /** Copies the batch into the text twin and applies it in ranges, finding the rows Postgres refuses. */
  private async applyAsText(): Promise<void> {
    const { client, sql } = this;
    await client.query(sql.createText);
    const copy = openCopyStatement(client, sql.copyText);
    try {
      for (const data of this.sent) await copy.writeData(data);
    } catch (err) {
      await copy.abort(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
    await copy.finish();
    const { rows } = await client.query<{ r: string }>(sql.textRecords);
    await this.applyRange(rows.map((r) => Number(r.r)));
  }

  /** Applies `records` (ascending) of the text twin, or halves them when Postgres refuses; in order either way. */
  private async applyRange(records: readonly number[]): Promise<void> {
    if (records.length === 0) return;
    const { client, sql } = this;
    await client.query('SAVEPOINT pw_range');
    try {
      await client.query({
        name: `${sql.tag}_range`,
        text: sql.applyTextRange,
        values: [records[0], records[records.length - 1]],
      });
      await client.query('RELEASE SAVEPOINT pw_range');
      return;
    } catch (err) {
      await client.query('ROLLBACK TO SAVEPOINT pw_range');
      if (!isDataError(err)) throw err;
      if (records.length === 1) return this.reject(records[0] as number, err as Error);
    }
    const mid = records.length >>> 1;
    await this.applyRange(records.slice(0, mid));
    await this.applyRange(records.slice(mid));
  }

  private async reject(recordNo: number, err: Error): Promise<void> {
    const { rows } = await this.client.query<FieldValue[]>({
      text: this.sql.textRow,
      values: [recordNo],
      rowMode: 'array',
    });
    const [line, ...values] = rows[0] ?? [];
    const reject: RowReject = {
      recordNo,
      lineNo: Number(line ?? 0),
      raw: formatCsvRecord(values.map((v) => v ?? '')),
      reason: `refused by the database: ${err.message}`,
    };
    this.refused.push(reject);
    this.spec.onRefused?.([reject]);
  }
}
