/**
 * The target table of a sink: its columns as Postgres has them, created from the input's columns when asked,
 * and checked against the input before anything is written (so a mismatch fails before any row lands).
 */
import { createIfAbsent } from '../tables/create-if-absent';
import type pg from 'pg';
import { parseQualifiedName, quoteIdent, quoteQualified } from '../../model/identifiers';
import type { ColumnSpec, ColumnType } from '../../model/columns/columns';
import { TargetTableError } from '../errors';
import { columnDefinitions } from '../tables/staging';
import { geometryTypmod } from '../geo/kinds';

export interface TargetColumn {
  readonly name: string;
  /** `format_type` of the column, e.g. `integer`, `numeric(12,2)`, `timestamp with time zone`. */
  readonly type: string;
  /** The type without its modifier (`character varying`, `numeric`, `bpchar`): what a value is cast to first. */
  readonly baseType: string;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
}

export interface TargetTable {
  /** Validated and quoted `"schema"."table"`. */
  readonly qualified: string;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly TargetColumn[];
}

/** The table's columns, or undefined when it does not exist. */
export async function describeTable(db: pg.Pool | pg.ClientBase, table: string): Promise<TargetTable | undefined> {
  const parts = parseQualifiedName(table);
  const qualified = quoteQualified(table);
  const { rows } = await db.query<{
    name: string;
    type: string;
    base_type: string;
    not_null: boolean;
    has_default: boolean;
    schema: string;
  }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            format_type(a.atttypid, -1) AS base_type, a.attnotnull AS not_null,
            a.atthasdef AS has_default, n.nspname AS schema
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.oid = to_regclass($1) ORDER BY a.attnum`,
    [qualified],
  );
  if (rows.length === 0) return undefined;
  return {
    qualified,
    schema: rows[0]?.schema ?? parts.schema ?? 'public',
    name: parts.name,
    columns: rows.map((r) => ({
      name: r.name,
      type: r.type,
      baseType: r.base_type,
      notNull: r.not_null,
      hasDefault: r.has_default,
    })),
  };
}

/** Creates the table (and its schema) from the input's columns, with `key` as its primary key. */
export async function createTargetTable(
  db: pg.Pool | pg.ClientBase,
  table: string,
  columns: readonly ColumnSpec[],
  key?: readonly string[],
): Promise<void> {
  const parts = parseQualifiedName(table);
  // The partitions of a node create its target at once.
  if (parts.schema) await createIfAbsent(db, `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(parts.schema, 'schema')}`);
  const pk = key && key.length > 0 ? `, PRIMARY KEY (${key.map((k) => quoteIdent(k, 'column')).join(', ')})` : '';
  await createIfAbsent(db, `CREATE TABLE IF NOT EXISTS ${quoteQualified(table)} (${columnDefinitions(columns)}${pk})`);
}

/** Postgres type families each declared input type may be written into (text input goes anywhere). */
const WRITABLE: Record<ColumnType, RegExp> = {
  text: /^(text|character varying|character|varchar|char|citext|uuid|inet|cidr|macaddr|interval|time|name)\b/,
  int: /^(smallint|integer|bigint|numeric|real|double precision)\b/,
  bigint: /^(bigint|numeric|real|double precision)\b/,
  float: /^(real|double precision|numeric)\b/,
  numeric: /^(numeric|real|double precision)\b/,
  bool: /^boolean\b/,
  date: /^(date|timestamp)\b/,
  timestamptz: /^timestamp\b/,
  json: /^(jsonb|json)\b/,
  geometry: /^geometry\b/,
};
const TEXTUAL = /^(text|character varying|character|varchar|char|citext)\b/;

/**
 * The target column each input column goes to (exact name, else the one name that matches ignoring case, as
 * Postgres folds unquoted names), after checking types and NOT NULL columns the input leaves empty.
 */
export function matchColumns(
  nodeId: string,
  table: string,
  target: TargetTable,
  input: readonly ColumnSpec[],
): TargetColumn[] {
  const problems: string[] = [];
  const matched: TargetColumn[] = [];
  for (const c of input) {
    const exact = target.columns.find((t) => t.name === c.name);
    const folded = target.columns.filter((t) => t.name.toLowerCase() === c.name.toLowerCase());
    const t = exact ?? (folded.length === 1 ? folded[0] : undefined);
    if (!t) {
      problems.push(`it has no column ${c.name}`);
      continue;
    }
    // Text goes anywhere: the sink checks text values against the column's type (see targetChecks).
    if (c.type !== 'text' && !TEXTUAL.test(t.type) && !WRITABLE[c.type].test(t.type))
      problems.push(
        `column ${t.name} is ${t.type} but the input's ${c.name} is ${c.type}; ` +
          `declare the input column with a matching type or cast it in a transform.map`,
      );
    matched.push(t);
  }
  const given = new Set(matched.map((t) => t.name));
  for (const t of target.columns)
    if (t.notNull && !t.hasDefault && !given.has(t.name))
      problems.push(`column ${t.name} is NOT NULL without a default, and the input has no such column`);
  if (problems.length > 0)
    throw new TargetTableError(
      nodeId,
      table,
      `${problems.join('; ')}. Table columns: ${target.columns.map((t) => `${t.name} ${t.type}`).join(', ')}; ` +
        `input columns: ${input.map((c) => `${c.name} ${c.type}`).join(', ')}`,
    );
  return matched;
}

/** The declared type whose check fits a Postgres column type, for the types pipewright knows. */
export function columnTypeOf(pgType: string): ColumnType | undefined {
  if (/^(smallint|integer)\b/.test(pgType)) return 'int';
  if (/^bigint\b/.test(pgType)) return 'bigint';
  if (/^numeric\b/.test(pgType)) return 'numeric';
  if (/^(real|double precision)\b/.test(pgType)) return 'float';
  if (/^boolean\b/.test(pgType)) return 'bool';
  if (/^date\b/.test(pgType)) return 'date';
  if (/^timestamp\b/.test(pgType)) return 'timestamptz';
  if (/^jsonb?\b/.test(pgType)) return 'json';
  if (/^geometry\b/.test(pgType)) return 'geometry';
  if (TEXTUAL.test(pgType)) return 'text';
  return undefined;
}

/**
 * Checks for the text input columns that go into typed target columns: a value the column cannot take becomes a
 * reject of the sink with a reason, instead of failing the whole batch in COPY. Undefined when none are needed.
 */
export function targetChecks(input: readonly ColumnSpec[], matched: readonly TargetColumn[]): ColumnSpec[] | undefined {
  let needed = false;
  const specs = input.map((c, i) => {
    const t = matched[i] as TargetColumn;
    const type = c.type === 'text' ? (columnTypeOf(t.type) ?? 'text') : c.type;
    // A NULL into a NOT NULL column fails the whole COPY; checked here it rejects one row.
    if (type !== c.type || t.notNull) needed = true;
    return { ...c, type, nullable: !t.notNull, ...(type === 'geometry' ? geometryTypmod(t.type) : {}) };
  });
  return needed ? specs : undefined;
}
