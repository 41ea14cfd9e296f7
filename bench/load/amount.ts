/**
 * The benchmark's computed column: amount = qty * price, exact, as numeric text. Stands in for a
 * `transform.map` computed column until the expression language is wired in.
 */
import type { FieldValue, RowChunk } from '../../src/stream/batch';

// Results of `scaled`, kept in module variables so the hot path allocates nothing but the output string.
let value = 0;
let valueScale = 0;

/** Parses a signed decimal `d+[.d*]` of at most 15 digits into `value` and `valueScale`; false otherwise. */
function scaled(v: string): boolean {
  let n = 0;
  let scale = -1;
  let i = 0;
  const neg = v.charCodeAt(0) === 45;
  if (neg) i = 1;
  if (v.length - i > 15 || v.length === i) return false; // keep within exact double range
  for (; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 46 && scale < 0) scale = v.length - i - 1;
    else if (c >= 48 && c <= 57) n = n * 10 + (c - 48);
    else return false;
  }
  value = neg ? -n : n;
  valueScale = scale < 0 ? 0 : scale;
  return true;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Exact product of two decimal strings, or undefined when either is not a short plain decimal. */
export function multiplyDecimal(a: string, b: string): string | undefined {
  if (!scaled(a)) return undefined;
  const x = value;
  const xs = valueScale;
  if (!scaled(b)) return undefined;
  const scale = xs + valueScale;
  const product = x * value;
  if (!Number.isSafeInteger(product) || scale >= POW10.length) return undefined;
  if (scale === 0) return String(product);
  const abs = product < 0 ? -product : product;
  const unit = POW10[scale] as number;
  const whole = Math.floor(abs / unit);
  const frac = String(abs - whole * unit);
  // Number-to-string of small integers hits V8's number string cache; padding is rarely needed.
  const fracText = frac.length === scale ? frac : '0'.repeat(scale - frac.length) + frac;
  return (product < 0 ? '-' : '') + whole + '.' + fracText;
}

/** Appends amount = row[qty] * row[price] to every row of `chunk` (NULL when either is NULL). */
export function addAmount(chunk: RowChunk, qty: number, price: number): RowChunk {
  for (const row of chunk.rows as FieldValue[][]) {
    const q = row[qty];
    const p = row[price];
    // Both were validated as int and numeric; anything multiplyDecimal cannot do exactly goes to Postgres as NULL.
    row.push(q == null || p == null ? null : (multiplyDecimal(q, p) ?? null));
  }
  // Digits, sign and point only: the chunk's `clean` flag still holds.
  return chunk;
}
