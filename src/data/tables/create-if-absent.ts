/** `CREATE ... IF NOT EXISTS` that holds when several activities run it at once (the partitions of one node). */
import type pg from 'pg';

/**
 * Runs a `CREATE TABLE/SCHEMA IF NOT EXISTS` statement. IF NOT EXISTS does not stop two sessions creating the same
 * object at once: the loser fails with 23505 (on the catalog's unique index), 42P07/42P06, or 42710 (the table's row
 * type exists); it then finds the winner's object, which is what it asked for (a unique check waits for the winner to
 * commit before it fails).
 */
/** What the losing session of a concurrent CREATE ... IF NOT EXISTS fails with. */
const RACE_CODES = new Set(['23505', '42P07', '42P06', '42710']);

export async function createIfAbsent(db: pg.Pool | pg.ClientBase, sql: string): Promise<void> {
  try {
    await db.query(sql);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (!RACE_CODES.has(code ?? '')) throw err;
  }
}
