/** Whether the dataset an output names is still there: a memoized output and a rerun reuse it only then. */
import fs from 'node:fs';
import type pg from 'pg';
import { quoteQualified } from '../../model/identifiers';
import type { DatasetRef } from '../../model/state';

/**
 * A file that exists, or a table that exists and, when it was written with rows, still holds some (a Postgres crash
 * empties UNLOGGED tables).
 */
export async function datasetPresent(db: () => Promise<pg.Pool>, d: DatasetRef): Promise<boolean> {
  if (d.kind === 'file') return fs.existsSync(d.location);
  const pool = await db();
  const { rows } = await pool.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
    quoteQualified(d.location),
  ]);
  if (!rows[0]?.found) return false;
  if ((d.rows ?? 0) === 0) return true;
  const nonEmpty = await pool.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${quoteQualified(d.location)}) AS any`,
  );
  return nonEmpty.rows[0]?.any === true;
}
