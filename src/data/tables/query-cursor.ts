/**
 * The rows of a query with bound parameters, read through a server-side cursor in batches of `fetchRows`, inside one
 * `REPEATABLE READ READ ONLY` transaction (one snapshot for the whole read), values kept as the text Postgres sends
 * (what COPY takes back unchanged). Under `source.postgres`, and under each key range of a partitioned one.
 */
import type pg from 'pg';
import { NodeSqlError } from '../errors';
import { TEXT_TYPES } from './pg-types';
import { resultColumns, withSampledGeometry } from './result-columns';
import { classifyPgError } from '../../platform/db/errors';
import type { RowChunk } from '../rows/batch';
import type { OpenedSource } from '../rows/stream';
import type { ColumnSpec, FieldValue } from '../../model/columns/columns';

const CURSOR = 'pipewright_source';

/** A query to read: `query` is sent as is (with `params` bound), so it must come from a validated definition. */
export interface CursorQuery {
  readonly nodeId: string;
  readonly query: string;
  readonly params: readonly unknown[];
  readonly fetchRows: number;
}

/** Opens the cursor on a client of `pool` and returns the query's rows as a source (columns known at once). */
export async function openQueryCursor(pool: pg.Pool, q: CursorQuery): Promise<OpenedSource> {
  const client = await pool.connect();
  let opened: Awaited<ReturnType<typeof openCursor>>;
  try {
    opened = await openCursor(client, q);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    throw err;
  }
  let read = 0;
  async function* chunks(): AsyncGenerator<RowChunk> {
    for (let res = opened.first; ; res = await fetch(client, q.fetchRows)) {
      const rows = res.rows as FieldValue[][];
      if (rows.length === 0) return;
      const lineNos = rows.map((_, i) => read + i + 1);
      yield { firstRecord: read, recordCount: rows.length, rows, lineNos, rejects: [], clean: false };
      read += rows.length;
      if (rows.length < q.fetchRows) return;
    }
  }
  return {
    columns: opened.columns,
    chunks: chunks(),
    stats: () => ({ rowsRead: read }),
    async close(failure) {
      // Read only: ending the transaction closes the cursor and changes nothing.
      const ended = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.release(failure !== undefined && !ended ? failure : undefined);
    },
  };
}

/** The query's first batch, and the result's columns (known after the first FETCH). */
async function openCursor(
  client: pg.PoolClient,
  q: CursorQuery,
): Promise<{ first: pg.QueryArrayResult; columns: ColumnSpec[] }> {
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query({ text: `DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${q.query}`, values: [...q.params] });
    const first = await fetch(client, q.fetchRows);
    // Geometry comes as hex EWKB, PostGIS's text output: already the form rows carry.
    const columns = withSampledGeometry(await resultColumns(client, first.fields), first.rows as FieldValue[][]);
    return { first, columns };
  } catch (err) {
    const c = err instanceof Error ? classifyPgError(err) : undefined;
    if (c && !c.retryable) throw new NodeSqlError(q.nodeId, `${c.message}; the query was: ${q.query}`);
    throw err;
  }
}

const fetch = (client: pg.PoolClient, rows: number): Promise<pg.QueryArrayResult> =>
  client.query<FieldValue[]>({ text: `FETCH ${rows} FROM ${CURSOR}`, rowMode: 'array', types: TEXT_TYPES });
