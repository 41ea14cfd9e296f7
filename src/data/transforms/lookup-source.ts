/**
 * Where `transform.lookup` finds rows: a Postgres table (one `WHERE key = ANY($1)` query per batch of keys the
 * cache lacks), or a loader registered with the worker. Each knows its columns and how to spell a key so that
 * equal keys are equal strings.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { quoteIdent, quoteQualified } from '../../model/identifiers';
import type { FieldValue } from '../../model/columns/columns';
import { type ColumnSpec, type ColumnType } from '../../model/columns/columns';
import { compileWorkerRowCheck } from '../rows/row-check';
import { checkBigint, checkInt } from '../../model/columns/numbers';
import { InputDatasetError } from '../errors';
import type { RegisteredLookup } from '../functions';
import { TEXT_TYPES } from '../tables/pg-types';
import { columnTypeOf, describeTable } from '../load/target-table';
import { fieldOf } from './registered-functions';

export interface LookupSource {
  /** Identifies the source in cache keys (`t:<connection>:<table>:<key>:<columns>` or `f:<loader>:`). */
  readonly id: string;
  /** The columns each found row adds. */
  readonly columns: readonly ColumnSpec[];
  /** The key as the source spells it, or undefined for a value that can never match (`abc` for an int key). */
  canonical(value: string): string | undefined;
  /** Rows of `keys` (canonical), by key; keys not found are left out. */
  load(keys: readonly string[]): Promise<Map<string, FieldValue[]>>;
}

/**
 * The cache-key prefix of every row looked up in `table` (on a named `connection`), or through a registered
 * `loader`: `invalidatePrefix` on the `lookup` namespace with it makes every worker look those rows up again.
 * Every source's `id` starts with it.
 */
export function lookupCachePrefix(of: { table: string; connection?: string } | { loader: string }): string {
  return 'loader' in of ? `f:${of.loader}:` : `t:${of.connection ?? ''}:${of.table}:`;
}

const spec = (name: string, type: ColumnType): ColumnSpec => ({ name, type, emptyIsNull: false, nullable: true });

/** Postgres type names as `format_type` prints them; anything else is compared as text. */
const SAFE_TYPE = /^[a-z][a-z0-9 _(),]*$/;

/**
 * Integer keys compare as numbers: `007` and `+7` find key 7. A value the key's type cannot hold (`abc` for an
 * int, a bad date) matches nothing, rather than failing the batch's query; text keys match as they are.
 */
function canonicalFor(type: ColumnType | undefined): (value: string) => string | undefined {
  if (type === 'int' || type === 'bigint') {
    const check = type === 'int' ? checkInt : checkBigint;
    return (value) => {
      const v = value.trim();
      return v === '' || check(v) !== undefined ? undefined : BigInt(v).toString();
    };
  }
  if (type === undefined || type === 'text') return (value) => value;
  const check = compileWorkerRowCheck([spec('key', type)]);
  return (value) => {
    // The check trims and normalises in place; the key is what it leaves.
    const row = [value];
    return check(row, false) === undefined ? (row[0] ?? undefined) : undefined;
  };
}

export interface TableLookupInput {
  readonly nodeId: string;
  readonly pool: pg.Pool;
  readonly connection?: string;
  readonly table: string;
  readonly key: string;
  /** Default: every column but the key. */
  readonly columns?: readonly string[];
}

export async function tableLookupSource(input: TableLookupInput): Promise<LookupSource> {
  const described = await describeTable(input.pool, input.table);
  if (!described) throw new InputDatasetError(input.nodeId, `lookup table ${input.table} does not exist`);
  const byName = (name: string) => {
    const exact = described.columns.find((c) => c.name === name);
    const folded = described.columns.filter((c) => c.name.toLowerCase() === name.toLowerCase());
    const found = exact ?? (folded.length === 1 ? folded[0] : undefined);
    if (!found)
      throw new InputDatasetError(
        input.nodeId,
        `lookup table ${input.table} has no column ${name}; its columns: ${described.columns.map((c) => c.name).join(', ')}`,
      );
    return found;
  };
  const key = byName(input.key);
  const wanted = input.columns ?? described.columns.filter((c) => c.name !== key.name).map((c) => c.name);
  if (wanted.length === 0)
    throw new InputDatasetError(input.nodeId, `lookup table ${input.table} has no column besides the key ${key.name}`);
  const cols = wanted.map(byName);
  const keyType = columnTypeOf(key.type);
  const qk = quoteIdent(key.name, 'column');
  const match = SAFE_TYPE.test(key.type) ? `${qk} = ANY($1::${key.type}[])` : `${qk}::text = ANY($1::text[])`;
  const text =
    `SELECT ${qk}::text, ${cols.map((c) => quoteIdent(c.name, 'column')).join(', ')} ` +
    `FROM ${quoteQualified(input.table)} WHERE ${match}`;
  // A named prepared statement: planned once per connection, reused for every batch.
  const name = `pw_lookup_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
  const canonical = canonicalFor(keyType);
  return {
    id: `${lookupCachePrefix(input)}${key.name}:${cols.map((c) => c.name).join(',')}`,
    columns: cols.map((c) => spec(c.name, columnTypeOf(c.type) ?? 'text')),
    canonical,
    async load(keys) {
      const res = await input.pool.query<FieldValue[]>({
        name,
        text,
        values: [keys],
        rowMode: 'array',
        types: TEXT_TYPES,
      });
      const rows = new Map<string, FieldValue[]>();
      for (const row of res.rows) {
        const k = row[0];
        if (k === null || k === undefined) continue;
        rows.set(canonical(k) ?? k, row.slice(1));
      }
      return rows;
    },
  };
}

/** A loader registered with the worker (`createWorkerFunctions({ lookups: [...] })`). */
export function functionLookupSource(registered: RegisteredLookup, columns: readonly ColumnSpec[]): LookupSource {
  return {
    id: lookupCachePrefix({ loader: registered.name }),
    columns,
    canonical: (value) => value,
    async load(keys) {
      const result = await registered.load(keys);
      const entries: Iterable<[string, Record<string, unknown>]> =
        result instanceof Map ? result.entries() : Object.entries(result);
      const rows = new Map<string, FieldValue[]>();
      for (const [k, row] of entries)
        if (row)
          rows.set(
            k,
            columns.map((c) => fieldOf(row[c.name])),
          );
      return rows;
    },
  };
}
