/**
 * A table's contents as a count and an md5 that tells NULL from the empty string: each row is its columns'
 * `quote_nullable(col::text)` (NULL is the word NULL, '' is two quotes), joined and sorted, so the order rows were
 * loaded in does not matter.
 */
import type pg from 'pg';
import { quoteIdent, quoteQualified } from '../../src/model/identifiers';

export interface TableChecksum {
  readonly count: number;
  readonly md5: string;
  /** NULLs per column, to show that the comparison saw some. */
  readonly nulls: Record<string, number>;
}

export async function tableChecksum(pool: pg.Pool, table: string, columns: readonly string[]): Promise<TableChecksum> {
  const cols = columns.map((c) => quoteIdent(c, 'column'));
  const row = cols.map((c) => `quote_nullable(${c}::text)`).join(` || '|' || `);
  const nulls = cols.map((c, i) => `count(*) FILTER (WHERE ${c} IS NULL) AS n${i}`).join(', ');
  const { rows } = await pool.query<Record<string, string | number>>(
    `SELECT count(*)::int AS count, coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '') AS md5 FROM (SELECT ${row} AS r FROM ${quoteQualified(table)}) s`,
  );
  const counts = await pool.query<Record<string, string>>(`SELECT ${nulls} FROM ${quoteQualified(table)}`);
  const first = rows[0] as { count: number; md5: string };
  return {
    count: first.count,
    md5: first.md5,
    nulls: Object.fromEntries(columns.map((c, i) => [c, Number(counts.rows[0]?.[`n${i}`] ?? 0)])),
  };
}
