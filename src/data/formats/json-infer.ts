/**
 * Columns inferred from the first records of a JSON file (`source.json` without `columns`): every key seen, in the
 * order first seen, named as CSV headers are normalized (`US Gross` -> `us_gross`), typed by the values it held:
 * objects or arrays make `json`; strings make `text`, or `date`/`timestamptz` when every one is an ISO date or
 * timestamp; booleans `bool`; integers `int`, `bigint` past int4, `numeric` past int8; other numbers `numeric`; a
 * key holding values of two kinds (a string and a number, a boolean and a number) `text`, and only NULLs `text`.
 */
import type { ColumnSpec, ColumnType } from '../../model/columns/columns';
import { normalizeHeader } from '../../model/columns/header-names';
import { checkDate, checkTimestamptz } from '../../model/columns/temporal';
import { scanFilePrefix } from './chunk-reader';
import { JsonArrayScanner } from './json-array-scanner';

/** An inferred column: `key` is the record key it is taken from. */
export type InferredColumn = ColumnSpec & { readonly key: string };

/** What the values of one key were. */
interface Tally {
  nested: boolean;
  string: boolean;
  nonDate: boolean;
  nonTimestamp: boolean;
  bool: boolean;
  number: boolean;
  /** The widest number kind: 0 int4, 1 int8, 2 numeric. */
  width: number;
}

const INT4 = 2 ** 31;
const INT8 = 9.2e18;

/** Infers the columns from the first `sample` records at `records` of the file at `path`. */
export async function inferJsonColumns(
  path: string,
  records: ReadonlyArray<string | number>,
  sample: number,
  maxRecordChars = 16 * 1024 * 1024,
): Promise<InferredColumn[]> {
  const tallies = new Map<string, Tally>();
  let seen = 0;
  const scanner = new JsonArrayScanner(
    records,
    (text) => {
      if (seen >= sample) return undefined;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        return (err as Error).message;
      }
      seen++;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) tallyRecord(tallies, value);
      return undefined;
    },
    maxRecordChars,
  );
  await scanFilePrefix(path, scanner, () => seen >= sample);
  return inferredColumns(tallies);
}

/** What the values of each key were, in the order keys were first seen. */
export type Tallies = Map<string, Tally>;

/** The columns of the keys tallied: names normalized, types from the values seen. */
export function inferredColumns(tallies: Tallies): InferredColumn[] {
  const keys = [...tallies.keys()];
  const names = normalizeHeader(keys);
  return keys.map((key, i) => ({
    name: names[i] as string,
    key,
    type: typeOf(tallies.get(key) as Tally),
    emptyIsNull: false,
    nullable: true,
  }));
}

/** Adds the values of `record`'s keys to `tallies`. */
export function tallyRecord(tallies: Tallies, record: object): void {
  for (const [key, v] of Object.entries(record)) {
    let t = tallies.get(key);
    if (!t) {
      t = { nested: false, string: false, nonDate: false, nonTimestamp: false, bool: false, number: false, width: 0 };
      tallies.set(key, t);
    }
    switch (typeof v) {
      case 'string':
        t.string = true;
        if (!t.nonDate && checkDate(v) !== undefined) t.nonDate = true;
        if (!t.nonTimestamp && checkTimestamptz(v) !== undefined) t.nonTimestamp = true;
        break;
      case 'number':
        t.number = true;
        t.width = Math.max(t.width, numberWidth(v));
        break;
      case 'boolean':
        t.bool = true;
        break;
      default:
        if (v !== null) t.nested = true;
    }
  }
}

function numberWidth(n: number): number {
  if (!Number.isInteger(n)) return 2;
  const a = Math.abs(n);
  return a < INT4 ? 0 : a < INT8 ? 1 : 2;
}

function typeOf(t: Tally): ColumnType {
  if (t.nested) return 'json';
  const kinds = Number(t.string) + Number(t.bool) + Number(t.number);
  if (kinds !== 1) return 'text';
  if (t.bool) return 'bool';
  if (t.number) return t.width === 0 ? 'int' : t.width === 1 ? 'bigint' : 'numeric';
  if (!t.nonDate) return 'date';
  return t.nonTimestamp ? 'text' : 'timestamptz';
}
