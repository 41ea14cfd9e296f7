/**
 * The statements of `mode: upsert`: a batch is copied into a temporary table of the connection (columns of the
 * target's types, without their modifiers, after the rows' record and line numbers) and applied to the target in
 * one `INSERT ... SELECT ... ON CONFLICT (key) DO UPDATE`. A text twin of that table takes the batch when Postgres
 * refuses some of its rows, so that each row can be cast and applied on its own terms.
 */
import { createHash } from 'node:crypto';
import { quoteIdent } from '../../model/identifiers';

export interface UpsertSpec {
  /** Validated `schema.table`, quoted. */
  readonly qualified: string;
  /**
   * Target column names and their Postgres types without modifiers (`format_type(oid, -1)`: `character varying`,
   * `numeric`, `bpchar`), in row order. The target applies its own modifiers (lengths, precision) on insert.
   */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  /** Key column names (a unique index or primary key covers exactly these). */
  readonly key: readonly string[];
}

/** The temporary tables' own columns, quoted; `#` keeps them apart from any target column (identifiers have none). */
const RECORD = '"pw#record"';
const LINE = '"pw#line"';

export interface UpsertStatements {
  /** Creates the typed temporary table on a connection that has none yet. */
  readonly createTyped: string;
  /** `COPY` of numbered rows into the typed table. */
  readonly copyTyped: string;
  /** Applies the typed table as it is: no key twice (else Postgres fails it with 21000). */
  readonly apply: string;
  /** Applies the typed table keeping the last row of each key, keys compared as their type. */
  readonly applyLastWins: string;
  /** Creates the text twin (one text column per target column). */
  readonly createText: string;
  /** `COPY` of numbered rows into the text twin. */
  readonly copyText: string;
  /** Applies rows `$1 .. $2` (record numbers) of the text twin, cast here, last row of a key winning. */
  readonly applyTextRange: string;
  /** The record numbers in the text twin, in order. */
  readonly textRecords: string;
  /** Line number, then the values (as text), of record `$1` in the text twin. */
  readonly textRow: string;
  /** A name for prepared statements of this shape. */
  readonly tag: string;
}

export function upsertStatements(spec: UpsertSpec): UpsertStatements {
  const cols = spec.columns.map((c) => quoteIdent(c.name, 'column'));
  const list = cols.join(', ');
  const keys = spec.key.map((k) => quoteIdent(k, 'column'));
  const keyList = keys.join(', ');
  const keySet = new Set(spec.key);
  const updates = spec.columns
    .filter((c) => !keySet.has(c.name))
    .map((c) => `${quoteIdent(c.name, 'column')} = EXCLUDED.${quoteIdent(c.name, 'column')}`);
  const conflict =
    `ON CONFLICT (${keyList}) ` + (updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING');
  // Types come from the catalog (format_type), names are validated: the shape names its tables and statements.
  const shape = JSON.stringify(spec.columns.map((c) => [c.name, c.type]));
  const tag = `pw_upsert_${createHash('sha1').update(`${shape}|${spec.qualified}|${keyList}`).digest('hex').slice(0, 16)}`;
  const typed = `pg_temp.pw_upsert_${createHash('sha1').update(shape).digest('hex').slice(0, 16)}`;
  const text = `${typed}_text`;
  const numbered = `${RECORD}, ${LINE}, ${list}`;
  const insert = `INSERT INTO ${spec.qualified} (${list})`;
  const casts = spec.columns.map((c, i) => `${cols[i] as string}::${c.type} AS ${cols[i] as string}`).join(', ');
  return {
    tag,
    // ON COMMIT DELETE ROWS: Postgres empties it in place at each commit (no new file, no catalog churn, unlike a
    // TRUNCATE); a rollback takes its rows with it. No NOT NULL or checks here: the target refuses rows itself.
    createTyped:
      `CREATE TEMP TABLE IF NOT EXISTS ${typed} (${RECORD} bigint, ${LINE} bigint, ` +
      `${spec.columns.map((c, i) => `${cols[i] as string} ${c.type}`).join(', ')}) ON COMMIT DELETE ROWS`,
    copyTyped: `COPY ${typed} (${numbered}) FROM STDIN`,
    apply: `${insert} SELECT ${list} FROM ${typed} ${conflict}`,
    applyLastWins:
      `${insert} SELECT DISTINCT ON (${keyList}) ${list} FROM ${typed} ` +
      `ORDER BY ${keyList}, ${RECORD} DESC ${conflict}`,
    createText:
      `CREATE TEMP TABLE IF NOT EXISTS ${text} (${RECORD} bigint PRIMARY KEY, ${LINE} bigint, ` +
      `${cols.map((c) => `${c} text`).join(', ')}) ON COMMIT DELETE ROWS`,
    copyText: `COPY ${text} (${numbered}) FROM STDIN`,
    applyTextRange:
      `${insert} SELECT DISTINCT ON (${keyList}) ${list} FROM ` +
      `(SELECT ${RECORD}, ${casts} FROM ${text} WHERE ${RECORD} BETWEEN $1 AND $2) AS s ` +
      `ORDER BY ${keyList}, ${RECORD} DESC ${conflict}`,
    textRecords: `SELECT ${RECORD} AS r FROM ${text} ORDER BY 1`,
    textRow: `SELECT ${LINE}, ${list} FROM ${text} WHERE ${RECORD} = $1`,
  };
}
