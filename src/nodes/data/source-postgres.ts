/**
 * `source.postgres`: the rows of a query with bound parameters, read through a server-side cursor in batches of
 * `fetchRows`, values kept as the text Postgres sends (what COPY takes back unchanged).
 */
import type pg from 'pg';
import { NodeSqlError } from '../../data/errors';
import { TEXT_TYPES } from '../../data/tables/pg-types';
import { resultColumns, withSampledGeometry } from '../../data/tables/result-columns';
import { classifyPgError } from '../../platform/db/errors';
import type { RowChunk } from '../../data/rows/batch';
import type { FieldValue } from '../../model/columns/columns';
import type { ColumnSpec } from '../../model/columns/columns';
import { defineStreamNode } from './define';
import { sourcePostgresDescription, type SourcePostgresParams } from '../../model/nodes/source-postgres';

const CURSOR = 'pipewright_source';

/** The query's rows in chunks, and the result's columns (known after the first FETCH). */
async function openCursor(
  nodeId: string,
  client: pg.PoolClient,
  p: SourcePostgresParams,
): Promise<{ first: pg.QueryArrayResult; columns: ColumnSpec[] }> {
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query({ text: `DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${p.query}`, values: p.params });
    const first = await fetch(client, p.fetchRows);
    // Geometry comes as hex EWKB, PostGIS's text output: already the form rows carry.
    const columns = withSampledGeometry(await resultColumns(client, first.fields), first.rows as FieldValue[][]);
    return { first, columns };
  } catch (err) {
    const c = err instanceof Error ? classifyPgError(err) : undefined;
    if (c && !c.retryable) throw new NodeSqlError(nodeId, `${c.message}; the query was: ${p.query}`);
    throw err;
  }
}

const fetch = (client: pg.PoolClient, rows: number): Promise<pg.QueryArrayResult> =>
  client.query<FieldValue[]>({ text: `FETCH ${rows} FROM ${CURSOR}`, rowMode: 'array', types: TEXT_TYPES });

export const sourcePostgres = defineStreamNode(sourcePostgresDescription, {
  async openSource(ctx) {
    const p = ctx.params;
    const client = await ctx.data.pool(p.connection).connect();
    let opened: Awaited<ReturnType<typeof openCursor>>;
    try {
      opened = await openCursor(ctx.nodeId, client, p);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      throw err;
    }
    let read = 0;
    async function* chunks(): AsyncGenerator<RowChunk> {
      for (let res = opened.first; ; res = await fetch(client, p.fetchRows)) {
        const rows = res.rows as FieldValue[][];
        if (rows.length === 0) return;
        const lineNos = rows.map((_, i) => read + i + 1);
        yield { firstRecord: read, recordCount: rows.length, rows, lineNos, rejects: [], clean: false };
        read += rows.length;
        if (rows.length < p.fetchRows) return;
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
  },
});
