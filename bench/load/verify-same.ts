/**
 * Checks that tables loaded from the same data hold the same rows: the count, an order-free sum of a hash of each
 * row's text in which NULL and the empty string differ (`quote_nullable`), and per column the NULLs and empty
 * strings (so that a NULL read as '' or the other way round shows by name, and that the data had both).
 */
import type pg from 'pg';
import { quoteIdent, quoteQualified } from '../../src/model/identifiers';

export interface Contents {
  readonly count: number;
  readonly hash: string;
  readonly nulls: Record<string, number>;
  readonly empties: Record<string, number>;
}

export async function contents(pool: pg.Pool, table: string, columns: readonly string[]): Promise<Contents> {
  const cols = columns.map((c) => quoteIdent(c, 'column'));
  const row = cols.map((c) => `quote_nullable(${c}::text)`).join(` || '|' || `);
  const per = cols.flatMap((c, i) => [
    `count(*) FILTER (WHERE ${c} IS NULL) AS n${i}`,
    `count(*) FILTER (WHERE ${c}::text = '') AS e${i}`,
  ]);
  const { rows } = await pool.query<Record<string, string>>(
    `SELECT count(*) AS count, sum(hashtextextended(${row}, 0)::numeric) AS hash, ${per.join(', ')} FROM ${quoteQualified(table)}`,
  );
  const r = rows[0] as Record<string, string>;
  const by = (p: string) => Object.fromEntries(columns.map((c, i) => [c, Number(r[`${p}${i}`])]));
  return { count: Number(r.count), hash: r.hash ?? '0', nulls: by('n'), empties: by('e') };
}

export interface Expected {
  readonly rows: number;
  /** Columns the data has NULLs in, and columns it has empty strings in. */
  readonly nulls: readonly string[];
  readonly empties: readonly string[];
}

/** Throws unless every table holds what the first one does, and that one what `expected` says. */
export async function verifySame(
  pool: pg.Pool,
  tables: readonly string[],
  columns: readonly string[],
  expected: Expected,
): Promise<void> {
  const all = await Promise.all(tables.map((t) => contents(pool, t, columns)));
  const [ref] = all as [Contents];
  if (ref.count !== expected.rows)
    throw new Error(`expected ${expected.rows} rows in ${tables[0]}, found ${ref.count}`);
  for (const [what, cols, seen] of [
    ['NULLs', expected.nulls, ref.nulls],
    ['empty strings', expected.empties, ref.empties],
  ] as const)
    for (const c of cols) if (!((seen[c] ?? 0) > 0)) throw new Error(`${tables[0]}.${c} holds no ${what}`);
  all.forEach((got, i) => {
    if (JSON.stringify(got) !== JSON.stringify(ref))
      throw new Error(`${tables[i]} differs from ${tables[0]}: ${JSON.stringify(got)} vs ${JSON.stringify(ref)}`);
  });
}
