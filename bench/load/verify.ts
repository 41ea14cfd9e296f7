/**
 * Checks that the pipewright load stored the same data as psql's \copy (count and column sums), and that
 * amount equals qty * price.
 */
import type pg from 'pg';

/** Throws when the two tables differ or amount is wrong. */
export async function verifyLoad(
  pool: pg.Pool,
  psqlTable: string,
  pipeTable: string,
  expectedRows: number,
): Promise<void> {
  const q = (t: string) =>
    pool.query<{ n: string; ids: string; ts: string; txt: string; qty: string; price: string }>(
      `SELECT count(*) n, sum(id) ids, sum(extract(epoch FROM ts)) ts, sum(hashtext(region || product)) txt, sum(qty) qty, sum(price) price FROM ${t}`,
    );
  const [a, b] = await Promise.all([q(psqlTable), q(pipeTable)]);
  if (JSON.stringify(a.rows[0]) !== JSON.stringify(b.rows[0]))
    throw new Error(`pipewright load differs from psql: ${JSON.stringify(a.rows[0])} vs ${JSON.stringify(b.rows[0])}`);
  if (Number(a.rows[0]?.n) !== expectedRows)
    throw new Error(`expected ${expectedRows} rows, psql loaded ${a.rows[0]?.n}`);
  const bad = await pool.query(`SELECT count(*) n FROM ${pipeTable} WHERE amount IS DISTINCT FROM qty * price`);
  if (bad.rows[0]?.n !== '0') throw new Error(`${bad.rows[0]?.n} rows have amount <> qty * price`);
}
