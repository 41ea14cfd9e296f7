/**
 * Rows of a query result read through `COPY (<query>) TO STDOUT` (pg-copy-streams), decoded into chunks on
 * demand. COPY streams the result without a cursor or a snapshot of it in memory; pulling chunks drives the
 * socket, so a slow consumer holds Postgres back instead of letting rows pile up in the process.
 */
import type { Readable } from 'node:stream';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { RowChunk } from '../rows/batch';
import { READ_CHUNK_BYTES } from '../formats/chunk-reader';
import { decodeCopyText, type CopyTextOptions } from '../formats/copy-text-decoder';

/**
 * Streams the rows of `sql` (a SELECT or any query COPY accepts in parentheses) as {@link RowChunk}s of text
 * values in Postgres's output form (`t`/`f` for booleans, DateStyle/TimeZone of the session for dates and
 * timestamps, jsonb as its text). The COPY starts on the first `next()`, not before.
 *
 * `sql` is sent as is: COPY takes no bind parameters, so it must be built only from validated and quoted
 * identifiers (see `src/model/identifiers.ts`) and literals that are escaped, never from raw input.
 *
 * The caller owns `client` (checked out of a pool, or connected) and must release it after the iteration ends:
 * - iteration completed, or failed with a Postgres error (the query failed, the COPY ended): the client is
 *   usable again and may be released normally;
 * - the consumer stopped early (`break`, `return()`, or an exception thrown by the consumer): a COPY in progress
 *   cannot be stopped on the same connection short of reading all of it, so the copy stream is destroyed and
 *   the client's connection is ended (`client.end()`, which closes the socket at once since a query is active;
 *   the server then aborts the query). `return()` resolves once the socket is closed. Release the client as
 *   broken: `release(true)` (a pool would drop it anyway, because the client is ending), and do not use it for
 *   anything else. A transaction open on that client is lost with the connection.
 */
export async function* readTableRows(
  client: pg.ClientBase,
  sql: string,
  options: CopyTextOptions = {},
): AsyncGenerator<RowChunk> {
  const query = sql.replace(/[\s;]+$/, '');
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT`, { highWaterMark: READ_CHUNK_BYTES }));
  let failed = false;
  // Kept for the stream's whole life: when the connection is closed after an early stop, node-postgres reports
  // the termination to the active query (this stream) after the iterator has dropped its own listeners.
  stream.on('error', () => (failed = true));
  let completed = false;
  try {
    // The stream's async iterator reads one buffer per request: until the decoder asks again, the stream's
    // buffer stays full and pg-copy-streams stops reading the socket.
    yield* decodeCopyText(stream, options);
    completed = true;
  } finally {
    if (!completed && !failed) await cancelCopy(client, stream);
  }
}

/** Stops a COPY TO in progress by destroying its stream and closing the client's connection. */
async function cancelCopy(client: pg.ClientBase, stream: Readable): Promise<void> {
  stream.destroy();
  // ClientBase does not declare end(), but every client node-postgres hands out (Client, PoolClient) has it.
  const end = (client as { end?: () => Promise<void> }).end;
  if (typeof end === 'function') await end.call(client).catch(() => undefined);
}
