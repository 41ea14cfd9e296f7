/** `CREATE ... IF NOT EXISTS` that holds when several activities run it at once (the partitions of one node). */
import type pg from 'pg';

/**
 * Runs a `CREATE TABLE/SCHEMA IF NOT EXISTS` statement. IF NOT EXISTS does not stop two sessions creating the same
 * object at once: the loser fails with 23505 (on the catalog's unique index) or 42P07/42P06; it then finds the
 * winner's object, which is what it asked for.
 */
export async function createIfAbsent(db: pg.Pool | pg.ClientBase, sql: string): Promise<void> {
  try {
    await db.query(sql);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== '23505' && code !== '42P07' && code !== '42P06') throw err;
  }
}
