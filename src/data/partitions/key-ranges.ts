/**
 * `source.postgres` `partitionBy: { column, parts }`: the node's query read as ranges of one column's values, one
 * partition each.
 *
 * The planner (in an activity) reads the column's min and max over the query's result, and whether any key is NULL,
 * in one snapshot, then cuts `[min, max]` into `parts` ranges of equal width in the key's own units (integers, days,
 * microseconds, numeric values): `column < b1`, `b1 <= column < b2`, ..., `column >= bk`, plus one range of its own
 * for `column IS NULL` when there are NULL keys. The first and last ranges are open-ended, so every non-NULL key is in
 * exactly one range even if keys below the min or above the max appear after planning. Widths are equal, row counts
 * are not: skewed keys make uneven ranges. Ranges that would be empty by construction (more parts than distinct
 * values of an integer or date key) are merged, so a plan may have fewer ranges than `parts`. An empty result is
 * one range without bounds.
 *
 * Each range is read with a cursor in its own `REPEATABLE READ READ ONLY` transaction (query-cursor.ts), so each range
 * is one consistent snapshot; different ranges are different snapshots, taken when each partition starts. Rows
 * inserted, updated or deleted while the ranges are read may be seen by one range and not another (a row whose key
 * moves from a range not yet read to one already read is missed; one that moves the other way is read twice). Use it
 * on data that is not changing while it is read, or on an append-only key whose new rows the load may miss or take.
 */
import type pg from 'pg';
import { NodeSqlError } from '../errors';
import { classifyPgError } from '../../platform/db/errors';
import type { OpenedSource } from '../rows/stream';
import { openQueryCursor } from '../tables/query-cursor';
import { quoteIdent } from '../../model/identifiers';

/** The query of a `source.postgres` node and its `partitionBy`. */
export interface KeyRangeQuery {
  readonly nodeId: string;
  /** The node's query, validated by its params schema; its `$n` placeholders take `params`. */
  readonly query: string;
  readonly params: readonly unknown[];
  readonly column: string;
}

/** One range of keys: small, it may travel in workflow history. */
export interface KeyRange {
  readonly kind: 'key-range';
  /** What the status shows for the range: `id < 1000`, `id in [1000, 2000)`, `id is NULL`. */
  readonly name: string;
  /** 0-based, in key order (the NULL range last). */
  readonly index: number;
  /** Inclusive lower bound, as the key's JSON text (ISO 8601 for dates and timestamps); none: no lower bound. */
  readonly from?: string;
  /** Exclusive upper bound, in the same form; none: no upper bound. */
  readonly to?: string;
  /** The range of the rows whose key is NULL. A range with no bounds and no `nulls` is every row. */
  readonly nulls?: true;
}

/** Every range of a query, in order. */
export interface KeyRangePlan {
  readonly column: string;
  /** The key's type, as Postgres names it (`integer`, `timestamp with time zone`, ...). */
  readonly keyType: string;
  readonly min: string | null;
  readonly max: string | null;
  readonly ranges: readonly KeyRange[];
}

/** The one range of a query that is not cut: every row, NULL keys included. */
const ALL_ROWS: KeyRange = { kind: 'key-range', name: 'all rows', index: 0 };

/** Each key type a range can cut: how a key maps to a number (and back) so that widths can be equal. */
const KEY_TYPES: Readonly<
  Record<string, { readonly ord: (x: string) => string; readonly back: (o: string) => string }>
> = {
  smallint: integerKey('smallint'),
  integer: integerKey('integer'),
  bigint: integerKey('bigint'),
  numeric: { ord: (x) => `${x}::numeric`, back: (o) => o },
  date: { ord: (x) => `(${x}::date - date '2000-01-01')`, back: (o) => `(date '2000-01-01' + (${o})::int)` },
  'timestamp without time zone': epochKey('timestamp'),
  'timestamp with time zone': epochKey('timestamptz'),
};

function integerKey(type: string) {
  return { ord: (x: string) => `${x}::${type}::numeric`, back: (o: string) => `(${o})::bigint` };
}

/** Microseconds since the epoch (exact: extract returns numeric), back through a float interval (exact below 2^53). */
function epochKey(type: string) {
  return {
    ord: (x: string) => `(extract(epoch from ${x}::${type}) * 1000000)`,
    back: (o: string) => `('epoch'::${type} + (${o})::float8 * interval '1 microsecond')`,
  };
}

/** Plans the key ranges of `q` on a client of `pool` (see the file header). */
export async function planKeyRanges(
  pool: pg.Pool,
  q: KeyRangeQuery & { readonly parts: number },
): Promise<KeyRangePlan> {
  const key = `pw_q.${quoteIdent(q.column, 'column')}`;
  const from = `${subquery(q.query)} AS pw_q`;
  const client = await pool.connect();
  let ok = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ lo: string | null; hi: string | null; type: string; nulls: boolean }>({
      text:
        `SELECT to_json(min(${key})) #>> '{}' AS lo, to_json(max(${key})) #>> '{}' AS hi, ` +
        `pg_typeof(min(${key}))::text AS type, EXISTS (SELECT 1 FROM ${from} WHERE ${key} IS NULL) AS nulls FROM ${from}`,
      values: [...q.params],
    });
    const { lo, hi, type, nulls } = rows[0] as { lo: string | null; hi: string | null; type: string; nulls: boolean };
    const keyType = KEY_TYPES[type];
    if (!keyType)
      throw new NodeSqlError(
        q.nodeId,
        `partitionBy.column "${q.column}" is of type ${type}; key ranges need integer, bigint, smallint, numeric, date, timestamp or timestamptz`,
      );
    const plan = { column: q.column, keyType: type, min: lo, max: hi };
    if (lo === null || hi === null || q.parts <= 1) {
      ok = true;
      return { ...plan, ranges: [ALL_ROWS] };
    }
    if (!isFinite(lo) || !isFinite(hi))
      throw new NodeSqlError(
        q.nodeId,
        `partitionBy.column "${q.column}" holds ${isFinite(lo) ? hi : lo}; key ranges need finite keys (filter them out in the query, or read them in a node of their own)`,
      );
    const bounds = await client.query<{ bound: string }>({
      text: boundsSql(type, keyType),
      values: [lo, hi, q.parts],
    });
    ok = true;
    return {
      ...plan,
      ranges: rangesOf(
        q.column,
        bounds.rows.map((r) => r.bound),
        nulls,
      ),
    };
  } catch (err) {
    const c = err instanceof Error && !(err instanceof NodeSqlError) ? classifyPgError(err) : undefined;
    if (c && !c.retryable)
      throw new NodeSqlError(q.nodeId, `partitionBy.column "${q.column}": ${c.message}; the query was: ${q.query}`);
    throw err;
  } finally {
    const ended = await client.query('ROLLBACK').then(
      () => true,
      () => false,
    );
    client.release(
      !ok && !ended ? new Error('the key-range plan failed and its transaction could not be ended') : undefined,
    );
  }
}

/** Whether a key's text is a finite value (not `infinity`, `-infinity` or `NaN`). */
function isFinite(text: string): boolean {
  return !/^(-?infinity|nan)$/i.test(text);
}

/**
 * The boundaries strictly inside `($1, $2]` at `$1 + width * i / $3` for i in 1..$3-1, ascending and distinct, as the
 * key's JSON text. Discrete keys (integers, dates, microseconds) count `$2 - $1 + 1` values and round down.
 */
function boundsSql(type: string, k: (typeof KEY_TYPES)[string]): string {
  const lo = k.ord('$1');
  const hi = k.ord('$2');
  const b =
    type === 'numeric'
      ? k.back(`${lo} + (${hi} - ${lo}) * i / $3::int`)
      : k.back(`${lo} + floor((${hi} - ${lo} + 1) * i / $3::int)`);
  const cast = type === 'numeric' ? 'numeric' : SQL_TYPE[type];
  return (
    `SELECT to_json(s.b) #>> '{}' AS bound FROM (SELECT DISTINCT ${b} AS b FROM generate_series(1, $3::int - 1) AS i) s ` +
    `WHERE s.b > $1::${cast} ORDER BY s.b`
  );
}

const SQL_TYPE: Readonly<Record<string, string>> = {
  smallint: 'smallint',
  integer: 'integer',
  bigint: 'bigint',
  date: 'date',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
};

function rangesOf(column: string, bounds: readonly string[], nulls: boolean): KeyRange[] {
  // One key value (or one part): nothing to cut, and the one range takes the NULL keys too.
  if (bounds.length === 0) return [ALL_ROWS];
  const ranges: KeyRange[] = [];
  const add = (r: Omit<KeyRange, 'kind' | 'index'>): void =>
    void ranges.push({ kind: 'key-range', index: ranges.length, ...r });
  for (let i = 0; i < bounds.length; i++) {
    if (i === 0) add({ name: `${column} < ${bounds[0]}`, to: bounds[0] });
    const from = bounds[i] as string;
    const to = bounds[i + 1];
    add(
      to === undefined ? { name: `${column} >= ${from}`, from } : { name: `${column} in [${from}, ${to})`, from, to },
    );
  }
  if (nulls) add({ name: `${column} is NULL`, nulls: true });
  return ranges;
}

/** The node's query restricted to `range`: the range's bounds are bound after the query's own `params`. */
export function keyRangeQuery(q: KeyRangeQuery, range: KeyRange): { query: string; params: unknown[] } {
  const key = `pw_range.${quoteIdent(q.column, 'column')}`;
  const params = [...q.params];
  const where: string[] = [];
  const bind = (v: string): string => `$${params.push(v)}`;
  if (range.nulls) where.push(`${key} IS NULL`);
  if (range.from !== undefined) where.push(`${key} >= ${bind(range.from)}`);
  if (range.to !== undefined) where.push(`${key} < ${bind(range.to)}`);
  const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  return { query: `SELECT * FROM ${subquery(q.query)} AS pw_range${filter}`, params };
}

/** The node's query in parentheses: a trailing `;` dropped, and a line break so that a trailing comment ends. */
function subquery(query: string): string {
  return `(${query.replace(/[\s;]+$/, '')}\n)`;
}

/**
 * Reads one key range of the node's query: a cursor in its own `REPEATABLE READ READ ONLY` transaction, in batches of
 * `fetchRows` (as `source.postgres` reads a whole query).
 */
export function openKeyRange(
  pool: pg.Pool,
  q: KeyRangeQuery & { readonly fetchRows: number },
  range: KeyRange,
): Promise<OpenedSource> {
  return openQueryCursor(pool, { nodeId: q.nodeId, fetchRows: q.fetchRows, ...keyRangeQuery(q, range) });
}
