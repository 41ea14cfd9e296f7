/**
 * Form checks for numeric and boolean CSV values. Each returns undefined when Postgres will accept the text,
 * or the reason it would not, so that a bad value becomes a reject instead of failing a whole COPY.
 */

const ZERO = 48;
const NINE = 57;

/** The largest magnitudes as digit strings, for range checks without floating point. */
const INT4_MAX = '2147483647';
const INT8_MAX = '9223372036854775807';

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** Checks an optionally signed run of digits within a two's complement range (`max` is the positive limit). */
function checkInteger(v: string, max: string, type: string): string | undefined {
  let i = 0;
  const sign = v.charCodeAt(0);
  if (sign === 43 || sign === 45) i = 1;
  if (i === v.length) return `not an integer (${type})`;
  while (i < v.length - 1 && v.charCodeAt(i) === ZERO) i++;
  const start = i;
  for (; i < v.length; i++) if (!isDigit(v.charCodeAt(i))) return `not an integer (${type})`;
  const digits = v.length - start;
  if (digits < max.length) return undefined;
  if (digits > max.length) return `out of range for ${type}`;
  const magnitude = v.slice(start);
  // The negative limit is one larger than the positive one; its last digit is never 9, so +1 on it is safe.
  const limit = sign === 45 ? max.slice(0, -1) + String(Number(max.slice(-1)) + 1) : max;
  return magnitude > limit ? `out of range for ${type}` : undefined;
}

/** Checks an `int` (int4) value. */
export function checkInt(v: string): string | undefined {
  return checkInteger(v, INT4_MAX, 'int');
}

/** Checks a `bigint` (int8) value. */
export function checkBigint(v: string): string | undefined {
  return checkInteger(v, INT8_MAX, 'bigint');
}

/** Scans `[+-] digits [. digits] [e [+-] digits]` (digits on at least one side of the point); -1 if malformed. */
function scanDecimal(v: string): number {
  let i = 0;
  let c = v.charCodeAt(0);
  if (c === 43 || c === 45) i++;
  let digits = 0;
  for (; isDigit(v.charCodeAt(i)); i++) digits++;
  if (v.charCodeAt(i) === 46) {
    for (i++; isDigit(v.charCodeAt(i)); i++) digits++;
  }
  if (digits === 0) return -1;
  c = v.charCodeAt(i);
  if (c === 101 || c === 69) {
    i++;
    c = v.charCodeAt(i);
    if (c === 43 || c === 45) i++;
    const from = i;
    while (isDigit(v.charCodeAt(i))) i++;
    if (i === from) return -1;
  }
  return i === v.length ? i : -1;
}

const SPECIAL = /^[+-]?(nan|inf|infinity)$/i;

/** Checks a `numeric` value: decimal or scientific notation, NaN or Infinity. */
export function checkNumeric(v: string): string | undefined {
  if (scanDecimal(v) >= 0 || SPECIAL.test(v)) return undefined;
  return 'not a number (numeric)';
}

/** Checks a `float` (double precision) value, including the range Postgres accepts. */
export function checkFloat(v: string): string | undefined {
  if (SPECIAL.test(v)) return undefined;
  if (scanDecimal(v) < 0) return 'not a number (float)';
  const n = Number(v);
  if (!Number.isFinite(n)) return 'out of range for float';
  if (n === 0 && /[1-9]/.test(v.replace(/[eE].*$/, ''))) return 'out of range for float (underflow)';
  return undefined;
}

const BOOLEANS = new Set(['t', 'true', 'y', 'yes', 'on', '1', 'f', 'false', 'n', 'no', 'off', '0']);

/** Checks a `bool` value against the spellings Postgres accepts (case-insensitive). */
export function checkBool(v: string): string | undefined {
  return BOOLEANS.has(v.length <= 5 ? v.toLowerCase() : v)
    ? undefined
    : 'not a boolean (expected true/false, t/f, yes/no, on/off, 1/0)';
}

/** Checks a `json` value by parsing it. */
export function checkJson(v: string): string | undefined {
  try {
    JSON.parse(v);
    return undefined;
  } catch (err) {
    return `not valid JSON: ${(err as Error).message}`;
  }
}
