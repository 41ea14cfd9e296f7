/**
 * `analyze` of `sink.postgres`: after a load that changed a good share of its target, `ANALYZE` it, so that the next
 * queries plan with the new rows instead of waiting for autovacuum's next look (which, by default, comes only after
 * 10% of the table plus 50 rows changed, and not at all for a table that autovacuum has not reached yet).
 */
import type pg from 'pg';
import type { AnalyzeMode } from '../../model/nodes/sink-postgres';

/** `auto` analyzes when the rows written exceed this share of the rows the planner believed the table had. */
export const ANALYZE_SHARE = 0.1;

/** The planner's estimate of the table's rows (`pg_class.reltuples`): -1 or 0 for a table never analyzed or empty. */
export async function estimatedRows(db: pg.Pool | pg.ClientBase, qualified: string): Promise<number> {
  const { rows } = await db.query<{ reltuples: number }>(
    'SELECT reltuples::float8 AS reltuples FROM pg_class WHERE oid = to_regclass($1)',
    [qualified],
  );
  return rows[0]?.reltuples ?? -1;
}

/** Whether a load of `rowsWritten` rows into a table estimated at `estimateBefore` rows should analyze it. */
export function shouldAnalyze(mode: AnalyzeMode, rowsWritten: number, estimateBefore: number): boolean {
  if (mode === 'never') return false;
  if (mode === 'always') return true;
  if (rowsWritten <= 0) return false;
  return estimateBefore <= 0 || rowsWritten > ANALYZE_SHARE * estimateBefore;
}

/**
 * `ANALYZE`s the table in a transaction of its own with a `lock_timeout`: ANALYZE waits for a concurrent VACUUM or
 * ANALYZE of the table (autovacuum's), and it is not worth holding the node for. Returns false when it did not run.
 */
export async function analyzeTable(
  pool: pg.Pool,
  qualified: string,
  warn: (message: string) => void,
  lockTimeoutMs = 5_000,
): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
    await client.query(`ANALYZE ${qualified}`);
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    // The rows are loaded and committed: a failed ANALYZE (locked, or not the table's owner) is only a warning.
    warn(`ANALYZE ${qualified} did not run (${(err as Error).message}); autovacuum will analyze it in time`);
    return false;
  } finally {
    client.release();
  }
}
