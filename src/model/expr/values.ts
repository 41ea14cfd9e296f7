/**
 * Typed values of the language and their conversions: column text to a value when a column is read, and a value
 * back to the text COPY accepts for a column type (`toFieldValue`).
 *
 * Representations: text and date are strings (dates `YYYY-MM-DD`, which compare correctly as strings); int and
 * float are numbers; bigint is a BigInt; numeric is an exact {@link Decimal}; bool is a boolean; timestamptz is a
 * Date; json is the parsed value. SQL NULL is `null`.
 */
import type { FieldValue } from '../columns/columns';
import type { ColumnType } from '../columns/columns';
import { type Decimal, decimalOf, formatDecimal, isDecimal, parseDecimal } from './decimal';

export type ExprType = ColumnType;

const TRUE = new Set(['t', 'true', '1', 'yes', 'on', 'y']);
const FALSE = new Set(['f', 'false', '0', 'no', 'off', 'n']);

export function parseBool(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  throw new Error(`not a boolean: ${JSON.stringify(text)}`);
}

/** ISO 8601 and Postgres's own output (`2024-01-02 03:04:05.123+00`). */
export function parseTimestamp(text: string): Date {
  let t = text.trim().replace(' ', 'T');
  t = t.replace(/([+-]\d\d)$/, '$1:00').replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${JSON.stringify(text)}`);
  return new Date(ms);
}

function parseNumber(text: string, type: string): number {
  const n = Number(text);
  if (Number.isNaN(n) && text.trim() !== 'NaN') throw new Error(`not a number (${type}): ${JSON.stringify(text)}`);
  return n;
}

/** Reads non-empty column text as a value of `type` (chosen once per column, not per value). */
export function readerFor(type: ExprType): (text: string) => unknown {
  switch (type) {
    case 'text':
      return (text) => text;
    case 'int':
    case 'float':
      return (text) => parseNumber(text, type);
    case 'bigint':
      return (text) => BigInt(text.trim());
    case 'numeric':
      return parseDecimal;
    case 'bool':
      return parseBool;
    case 'date':
      return (text) => text.trim().slice(0, 10);
    case 'timestamptz':
      return parseTimestamp;
    case 'json':
      return (text) => JSON.parse(text);
    case 'geometry':
      // Hex EWKB, as rows carry geometries: the geometry operations belong to transform.geo.
      return (text) => text;
  }
}

/** Reads column text as a value of `type`; empty text is NULL except for text columns. */
export function readValue(text: FieldValue, type: ExprType): unknown {
  if (text === null) return null;
  if (type === 'text') return text;
  if (text === '') return null;
  return readerFor(type)(text);
}

const plainInteger = (n: number, type: string): string => {
  if (!Number.isInteger(n)) throw new Error(`${n} is not an integer (${type})`);
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
};

const plainNumber = (n: number): string =>
  Number.isFinite(n)
    ? (Math.abs(n) < 1e21 && Math.abs(n) >= 1e-6) || n === 0
      ? String(n)
      : formatDecimal(decimalOf(n))
    : String(n);

function integerText(value: unknown, type: string): string {
  if (typeof value === 'number') return plainInteger(value, type);
  if (typeof value === 'bigint') return value.toString();
  if (isDecimal(value)) {
    const d = value as Decimal;
    const s = formatDecimal(d);
    if (d.s > 0 && !/\.0*$/.test(s)) throw new Error(`${s} is not an integer (${type})`);
    return s.replace(/\.0*$/, '');
  }
  throw new Error(`a ${typeof value} is not an integer (${type})`);
}

/** Formats `value` as the text COPY accepts for a column of `type`; throws when it does not fit the type. */
export function toFieldValue(value: unknown, type: ExprType): FieldValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'int':
    case 'bigint':
      return integerText(value, type);
    case 'float':
      if (typeof value === 'number') return String(value);
      if (typeof value === 'bigint') return value.toString();
      if (isDecimal(value)) return String(Number(formatDecimal(value)));
      break;
    case 'numeric':
      if (isDecimal(value)) return formatDecimal(value);
      if (typeof value === 'number') return plainNumber(value);
      if (typeof value === 'bigint') return value.toString();
      break;
    case 'bool':
      if (typeof value === 'boolean') return value ? 't' : 'f';
      break;
    case 'date':
      if (typeof value === 'string') return value;
      if (value instanceof Date) return value.toISOString().slice(0, 10);
      break;
    case 'timestamptz':
      if (value instanceof Date) return value.toISOString();
      if (typeof value === 'string') return value;
      break;
    case 'json':
      return JSON.stringify(value, (_k, v: unknown) =>
        typeof v === 'bigint' ? Number(v) : isDecimal(v) ? Number(formatDecimal(v)) : v,
      );
    case 'text':
      return textOf(value);
  }
  throw new Error(`${textOf(value)} is not a ${type}`);
}

/** {@link toFieldValue} for one column type, with the common representation of that type checked first. */
export function fieldFormatter(type: ExprType): (value: unknown) => FieldValue {
  if (type === 'numeric') return (value) => (isDecimal(value) ? formatDecimal(value) : toFieldValue(value, type));
  if (type === 'int' || type === 'bigint')
    return (value) =>
      typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : toFieldValue(value, type);
  return (value) => toFieldValue(value, type);
}

/** The text form of any value (as `to_text` gives it). */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (isDecimal(value)) return formatDecimal(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** Filter semantics: only true passes; false and NULL do not. */
export const isTrue = (value: unknown): boolean => value === true;
