/**
 * Writing rows into a table through `COPY ... FROM STDIN` (pg-copy-streams), with backpressure: a write waits
 * for the connection to drain before the caller produces more.
 */
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdent, quoteQualified } from '../../model/identifiers';
import type { FieldValue } from '../../model/columns/columns';
import { encodeCopyText } from '../formats/copy-text';
import { drained } from '../rows/drained';

/** COPY data buffered in the process before a write waits; enough to keep Postgres busy between chunks. */
export const COPY_BUFFER_BYTES = 2 << 20;

/** An open COPY on one client. Call exactly one of `finish` or `abort`. */
export interface CopyWriter {
  /** Encodes and sends rows; resolves when the caller may send more. */
  write(rows: readonly (readonly FieldValue[])[], clean: boolean): Promise<void>;
  /** Sends rows already encoded as COPY text (whole lines); resolves when the caller may send more. */
  writeData(data: string | Buffer): Promise<void>;
  /** Ends the COPY and resolves with the number of rows Postgres stored. */
  finish(): Promise<number>;
  /** Cancels the COPY (CopyFail): nothing it sent is stored. Resolves once Postgres has answered. */
  abort(reason: Error): Promise<void>;
}

/** The `COPY target (columns) FROM STDIN` statement, with validated and quoted names. */
export function copyStatement(target: string, columns: readonly string[]): string {
  const cols = columns.map((c) => quoteIdent(c, 'column')).join(', ');
  return `COPY ${quoteQualified(target)} (${cols}) FROM STDIN`;
}

/** Starts `COPY target (columns) FROM STDIN` on `client`. */
export function openCopy(client: pg.ClientBase, target: string, columns: readonly string[]): CopyWriter {
  return openCopyStatement(client, copyStatement(target, columns));
}

/** Starts `statement`, a `COPY ... FROM STDIN` built from validated names, on `client`. */
export function openCopyStatement(client: pg.ClientBase, statement: string): CopyWriter {
  const stream = client.query(copyFrom(statement, { highWaterMark: COPY_BUFFER_BYTES }));
  let failure: Error | undefined;
  // Postgres can refuse data at any moment (a constraint, a bad value); keep the error for the next call.
  stream.on('error', (err: Error) => (failure ??= err));
  const done = finished(stream);
  done.catch(() => undefined);

  const writeData = async (data: string | Buffer): Promise<void> => {
    if (failure) throw failure;
    if (data.length === 0) return;
    if (!stream.write(data)) {
      await drained(stream);
      if (failure) throw failure;
    }
  };

  return {
    write: (rows, clean) => (rows.length === 0 ? writeData('') : writeData(encodeCopyText(rows, clean))),
    writeData,
    async finish() {
      if (failure) throw failure;
      stream.end();
      await done;
      return stream.rowCount;
    },
    async abort(reason) {
      if (!stream.destroyed) stream.destroy(reason);
      await done.catch(() => undefined);
    },
  };
}

/** Copies every batch of rows from `source` into `target` on `client`; resolves with the stored row count. */
export async function copyRows(
  client: pg.ClientBase,
  target: string,
  columns: readonly string[],
  source: AsyncIterable<{ rows: readonly (readonly FieldValue[])[]; clean: boolean }>,
): Promise<number> {
  const copy = openCopy(client, target, columns);
  try {
    for await (const chunk of source) await copy.write(chunk.rows, chunk.clean);
  } catch (err) {
    await copy.abort(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
  return copy.finish();
}
