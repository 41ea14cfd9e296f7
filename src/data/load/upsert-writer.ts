/**
 * The batch writer of `mode: upsert`: rows go in sets of a few thousand through
 * `INSERT ... SELECT FROM unnest($1::type[], ...) ON CONFLICT (key) DO UPDATE`, each under a savepoint. A set the
 * database refuses for its data (a constraint, a bad value) is split in halves until the refused rows are found;
 * they become rejects with Postgres's reason, and the rest is written.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { quoteIdent } from '../../model/identifiers';
import { rowRecordNos, type RowChunk, type RowReject } from '../rows/batch';
import type { FieldValue } from '../../model/columns/columns';
import type { BatchWriter, BatchWriterFactory } from './batch-transaction';
import { formatCsvRecord } from '../formats/csv-format';

/** Rows per INSERT statement: large enough to amortise the round trip, small enough to bisect quickly. */
export const UPSERT_SET_ROWS = 5_000;

export interface UpsertSpec {
  /** Validated `schema.table`, quoted. */
  readonly qualified: string;
  /** Target column names and their Postgres types (`format_type`), in row order. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  /** Key column names (a unique index or primary key covers exactly these). */
  readonly key: readonly string[];
  /** Called with the rows the database refused, as they are found. */
  readonly onRefused?: (rejects: readonly RowReject[]) => void;
}

interface Pending {
  readonly row: readonly FieldValue[];
  readonly lineNo: number;
  readonly recordNo: number;
}

/** The INSERT ... ON CONFLICT statement for `spec`. */
export function upsertStatement(spec: UpsertSpec): string {
  const cols = spec.columns.map((c) => quoteIdent(c.name, 'column'));
  const params = spec.columns.map((c, i) => `$${i + 1}::${c.type}[]`);
  const keys = new Set(spec.key);
  const updates = spec.columns
    .filter((c) => !keys.has(c.name))
    .map((c) => `${quoteIdent(c.name, 'column')} = EXCLUDED.${quoteIdent(c.name, 'column')}`);
  const conflict = `ON CONFLICT (${spec.key.map((k) => quoteIdent(k, 'column')).join(', ')})`;
  return (
    `INSERT INTO ${spec.qualified} (${cols.join(', ')}) SELECT * FROM unnest(${params.join(', ')}) ` +
    `${conflict} ${updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING'}`
  );
}

const ARRAY_SPECIAL = /["\\]/;
const ARRAY_ESCAPE = /["\\]/g;

/**
 * The values as a Postgres array literal, every element quoted (so commas, braces, spaces and the text `NULL` stay
 * data), `NULL` for SQL NULL. The statement casts it to the column's array type. Built here because node-postgres
 * escapes each element of a JS array with two regular expressions, which costs the worker about a third more CPU
 * per upsert (docs/benchmarks.md, "Upsert").
 */
export function arrayLiteral(values: readonly FieldValue[]): string {
  let plain = true;
  for (let i = 0; i < values.length && plain; i++) {
    const v = values[i];
    plain = v !== null && v !== undefined && !ARRAY_SPECIAL.test(v);
  }
  // The common case in one join: no NULL and nothing to escape.
  if (plain) return values.length === 0 ? '{}' : `{"${values.join('","')}"}`;
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    parts[i] =
      v === null || v === undefined
        ? 'NULL'
        : ARRAY_SPECIAL.test(v)
          ? `"${v.replace(ARRAY_ESCAPE, '\\$&')}"`
          : `"${v}"`;
  }
  return `{${parts.join(',')}}`;
}

/** Postgres refuses these for the data in them; anything else (a lost connection) fails the batch. */
const isDataError = (err: unknown): boolean => /^(22|23)/.test(String((err as { code?: unknown }).code ?? ''));

/** Memory of a row held ahead of its write, roughly: the array and its strings. */
const ROW_BYTES_PER_VALUE = 48;

export function upsertWriter(spec: UpsertSpec): BatchWriterFactory<RowChunk> {
  const text = upsertStatement(spec);
  const name = `pw_upsert_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
  const keyIdx = spec.key.map((k) => spec.columns.findIndex((c) => c.name === k));
  // What identifies a row's key within a set: the value itself for a one-column key.
  const one = keyIdx.length === 1 ? (keyIdx[0] as number) : -1;
  const keyOf = (row: readonly FieldValue[]): FieldValue =>
    one >= 0 ? (row[one] ?? null) : JSON.stringify(keyIdx.map((k) => row[k] ?? null));
  // The rows themselves are the payload: the statement takes them as arrays, and rejects need their positions.
  const prepare = (part: RowChunk) => ({
    payload: part,
    bytes: part.rows.length * spec.columns.length * ROW_BYTES_PER_VALUE,
  });
  const open = (client: pg.ClientBase): BatchWriter<RowChunk> => {
    let pending: Pending[] = [];
    // The set the database is executing: the next one is gathered and shaped meanwhile, and runs after it (sets
    // apply in order, so the last row of a key still wins across sets).
    let inflight: Promise<void> = Promise.resolve();
    let stored = 0;
    const refused: RowReject[] = [];

    const literals = (set: readonly Pending[]): string[] =>
      spec.columns.map((_, i) => arrayLiteral(set.map((p) => p.row[i] ?? null)));
    const execute = async (set: readonly Pending[], values = literals(set)): Promise<void> => {
      await client.query('SAVEPOINT pw_upsert');
      try {
        await client.query({ name, text, values });
        await client.query('RELEASE SAVEPOINT pw_upsert');
        stored += set.length;
      } catch (err) {
        await client.query('ROLLBACK TO SAVEPOINT pw_upsert');
        if (!isDataError(err)) throw err;
        if (set.length === 1) {
          const p = set[0] as Pending;
          const reject = {
            recordNo: p.recordNo,
            lineNo: p.lineNo,
            raw: formatCsvRecord(p.row.map((v) => v ?? '')),
            reason: `refused by the database: ${(err as Error).message}`,
          };
          refused.push(reject);
          spec.onRefused?.([reject]);
          return;
        }
        const mid = set.length >>> 1;
        await execute(set.slice(0, mid));
        await execute(set.slice(mid));
      }
    };

    /** Starts the pending rows as the next set, after the one in flight; resolves once that one is done. */
    const flush = async (): Promise<void> => {
      const previous = inflight;
      if (pending.length === 0) return previous;
      // ON CONFLICT cannot touch one row twice in a statement: the last row of a key wins, as if applied in order.
      const last = new Map<FieldValue, number>();
      pending.forEach((p, i) => last.set(keyOf(p.row), i));
      const keep = new Set(last.values());
      const set = keep.size === pending.length ? pending : pending.filter((_, i) => keep.has(i));
      stored += pending.length - set.length;
      pending = [];
      // Shaped now, while the set before runs in the database.
      const values = literals(set);
      const next = previous.then(() => execute(set, values));
      // A failure is thrown by the next write or finish; until then it is not an unhandled rejection.
      next.catch(() => undefined);
      inflight = next;
      await previous;
    };

    return {
      async write(part: RowChunk) {
        const nos = rowRecordNos(part);
        part.rows.forEach((row, i) => pending.push({ row, lineNo: part.lineNos[i] ?? 0, recordNo: nos[i] ?? 0 }));
        if (pending.length >= UPSERT_SET_ROWS) await flush();
      },
      async finish() {
        await flush();
        await inflight;
        return { stored, rejects: refused };
      },
      async abort() {
        pending = [];
        // The client is rolled back next: the set in flight must have ended first.
        await inflight.catch(() => undefined);
      },
    };
  };
  // Rows wait on the JS heap, and the writer is slower than the reader: a few sets ahead are plenty.
  return { readAheadBytes: 1 << 20, prepare, open };
}
