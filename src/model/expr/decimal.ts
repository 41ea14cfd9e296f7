/**
 * Exact decimals for `numeric` values: a scaled integer (`{ v: 1999, s: 2 }` is 19.99), so that `price * 3` is
 * 59.97 and not 59.970000000000006. Scales follow Postgres: + and - keep the larger scale, * adds them.
 *
 * `v` is a JS number while it is a safe integer (the common case: prices, quantities, amounts) and a BigInt
 * beyond; every operation checks that its result is still safe and falls back to BigInt when not, so results
 * are exact either way. The number path allocates no BigInt, which makes row-at-a-time arithmetic cheap.
 */
export interface Decimal {
  readonly v: number | bigint;
  readonly s: number;
}

/** Digits after the point when a quotient does not terminate (Postgres uses at least 16 significant digits). */
export const DIVISION_SCALE = 16;

const TEN = 10n;
const pow10 = (n: number): bigint => TEN ** BigInt(n);
/** Exact powers of ten as numbers (10^22 is the last exact double; scales beyond 15 take the BigInt path). */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const safe = Number.isSafeInteger;

export function isDecimal(x: unknown): x is Decimal {
  if (typeof x !== 'object' || x === null) return false;
  const v = (x as Decimal).v;
  return (typeof v === 'bigint' || typeof v === 'number') && typeof (x as Decimal).s === 'number';
}

const big = (v: number | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(v));
/** Back to a number when the BigInt fits, so later operations stay on the fast path. */
const norm = (v: bigint, s: number): Decimal => {
  const n = Number(v);
  return safe(n) ? { v: n, s } : { v, s };
};

/** Parses `-12.345`, `1e3`, `.5`; throws on anything else. */
export function parseDecimal(text: string): Decimal {
  return parsePlain(text) ?? parseGeneral(text);
}

/** `[+-]digits[.digits]` with at most 15 digits, no spaces or exponent; undefined for anything else. */
function parsePlain(text: string): Decimal | undefined {
  const len = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  const neg = c === 45;
  if (neg || c === 43) i = 1;
  if (len - i > 16 || len === i) return undefined;
  let n = 0;
  let digits = 0;
  let point = -1;
  for (; i < len; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      digits++;
    } else if (c === 46 && point < 0) point = i;
    else return undefined;
  }
  if (digits === 0 || digits > 15) return undefined;
  return { v: neg ? -n : n, s: point < 0 ? 0 : len - point - 1 };
}

function parseGeneral(text: string): Decimal {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a number: ${JSON.stringify(text)}`);
  const frac = m[3] ?? '';
  let v = BigInt(`${m[2] || '0'}${frac}`);
  let s = frac.length - Number(m[4] ?? 0);
  if (s < 0) {
    v *= pow10(-s);
    s = 0;
  }
  return norm(m[1] === '-' ? -v : v, s);
}

export const decimalOf = (x: number | bigint | Decimal): Decimal => {
  if (isDecimal(x)) return x;
  if (typeof x === 'bigint') return norm(x, 0);
  if (safe(x)) return { v: x, s: 0 };
  return parseDecimal(String(x).includes('e') ? x.toFixed(20) : String(x));
};

/** `d.v` at scale `s` (>= d.s), as a number when exact, else undefined. */
const scaledNumber = (d: Decimal, s: number): number | undefined => {
  if (typeof d.v !== 'number') return undefined;
  if (s === d.s) return d.v;
  const f = POW10[s - d.s];
  if (f === undefined) return undefined;
  const r = d.v * f;
  return safe(r) ? r : undefined;
};
const rescale = (d: Decimal, s: number): bigint => (s === d.s ? big(d.v) : big(d.v) * pow10(s - d.s));

export const add = (a: Decimal, b: Decimal): Decimal => {
  const s = Math.max(a.s, b.s);
  const x = scaledNumber(a, s);
  const y = x === undefined ? undefined : scaledNumber(b, s);
  if (x !== undefined && y !== undefined && safe(x + y)) return { v: x + y, s };
  return norm(rescale(a, s) + rescale(b, s), s);
};
export const sub = (a: Decimal, b: Decimal): Decimal => add(a, { v: typeof b.v === 'number' ? -b.v : -b.v, s: b.s });
export const mul = (a: Decimal, b: Decimal): Decimal => {
  const s = a.s + b.s;
  if (typeof a.v === 'number' && typeof b.v === 'number') {
    const p = a.v * b.v;
    if (safe(p)) return { v: p, s };
  }
  return norm(big(a.v) * big(b.v), s);
};

/** Rounded half away from zero to `scale` digits (at least the operands' scale, and DIVISION_SCALE). */
export function div(a: Decimal, b: Decimal): Decimal {
  if (b.v === 0 || b.v === 0n) throw new Error('division by zero');
  const s = Math.max(DIVISION_SCALE, a.s, b.s);
  // a/b at scale s: (a.v * 10^(s + b.s - a.s)) / b.v, with one extra digit for rounding.
  const num = big(a.v) * pow10(s + b.s - a.s + 1);
  const q = num / big(b.v);
  const rounded = (q + (q >= 0n ? 5n : -5n)) / TEN;
  return trimZeros(rounded, s, Math.max(a.s, b.s));
}

export function mod(a: Decimal, b: Decimal): Decimal {
  if (b.v === 0 || b.v === 0n) throw new Error('division by zero');
  const s = Math.max(a.s, b.s);
  return norm(rescale(a, s) % rescale(b, s), s);
}

export const compare = (a: Decimal, b: Decimal): number => {
  const s = Math.max(a.s, b.s);
  const x = scaledNumber(a, s);
  const y = x === undefined ? undefined : scaledNumber(b, s);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  const p = rescale(a, s);
  const q = rescale(b, s);
  return p < q ? -1 : p > q ? 1 : 0;
};

/** Drops trailing zeros below `keep` digits. */
function trimZeros(value: bigint, scale: number, keep: number): Decimal {
  let v = value;
  let s = scale;
  while (s > keep && v % TEN === 0n) {
    v /= TEN;
    s -= 1;
  }
  return norm(v, s);
}

/** Rounds half away from zero to `digits` places (may be negative: tens, hundreds). */
export function roundDecimal(d: Decimal, digits: number): Decimal {
  if (digits >= d.s) return d;
  const v = big(d.v);
  const f = pow10(d.s - digits);
  const half = f / 2n;
  const q = (v + (v >= 0n ? half : -half)) / f;
  return digits >= 0 ? norm(q, digits) : norm(q * pow10(-digits), 0);
}

/** The negation of `d`. */
export const negateDecimal = (d: Decimal): Decimal => ({ v: typeof d.v === 'number' ? -d.v : -d.v, s: d.s });

/** The absolute value of `d`. */
export const absDecimal = (d: Decimal): Decimal => (d.v < 0 ? negateDecimal(d) : d);

/** Whether `d` is zero. */
export const isZero = (d: Decimal): boolean => d.v === 0 || d.v === 0n;

export function formatDecimal(d: Decimal): string {
  const { v, s } = d;
  if (typeof v === 'number') {
    if (s === 0) return String(v === 0 ? 0 : v);
    const unit = POW10[s];
    if (unit !== undefined) {
      // Small integers hit V8's number-to-string cache: two of them are cheaper than slicing one long string.
      const abs = v < 0 ? -v : v;
      const whole = Math.floor(abs / unit);
      const frac = String(abs - whole * unit);
      const fracText = frac.length === s ? frac : '0'.repeat(s - frac.length) + frac;
      return (v < 0 ? '-' : '') + whole + '.' + fracText;
    }
  }
  const neg = v < 0;
  const digits = (neg ? -big(v) : big(v)).toString();
  if (s === 0) return neg ? `-${digits}` : digits;
  const padded = digits.length > s ? digits : '0'.repeat(s + 1 - digits.length) + digits;
  const cut = padded.length - s;
  return `${neg ? '-' : ''}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

export const decimalToNumber = (d: Decimal): number => Number(formatDecimal(d));
