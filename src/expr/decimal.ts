/**
 * Exact decimals for `numeric` values: a scaled BigInt (`{ v: 1999n, s: 2 }` is 19.99), so that `price * 3` is
 * 59.97 and not 59.970000000000006. Scales follow Postgres: + and - keep the larger scale, * adds them.
 */
export interface Decimal {
  readonly v: bigint;
  readonly s: number;
}

/** Digits after the point when a quotient does not terminate (Postgres uses at least 16 significant digits). */
export const DIVISION_SCALE = 16;

const TEN = 10n;
const pow10 = (n: number): bigint => TEN ** BigInt(n);

export function isDecimal(x: unknown): x is Decimal {
  return typeof x === 'object' && x !== null && typeof (x as Decimal).v === 'bigint';
}

/** Parses `-12.345`, `1e3`, `.5`; throws on anything else. */
export function parseDecimal(text: string): Decimal {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a number: ${JSON.stringify(text)}`);
  const frac = m[3] ?? '';
  let v = BigInt(`${m[2] || '0'}${frac}`);
  let s = frac.length - Number(m[4] ?? 0);
  if (s < 0) {
    v *= pow10(-s);
    s = 0;
  }
  return { v: m[1] === '-' ? -v : v, s };
}

export const decimalOf = (x: number | bigint | Decimal): Decimal => {
  if (isDecimal(x)) return x;
  if (typeof x === 'bigint') return { v: x, s: 0 };
  return parseDecimal(String(x).includes('e') ? x.toFixed(20) : String(x));
};

const rescale = (d: Decimal, s: number): bigint => (s === d.s ? d.v : d.v * pow10(s - d.s));

export const add = (a: Decimal, b: Decimal): Decimal => {
  const s = Math.max(a.s, b.s);
  return { v: rescale(a, s) + rescale(b, s), s };
};
export const sub = (a: Decimal, b: Decimal): Decimal => add(a, { v: -b.v, s: b.s });
export const mul = (a: Decimal, b: Decimal): Decimal => ({ v: a.v * b.v, s: a.s + b.s });

/** Rounded half away from zero to `scale` digits (at least the operands' scale, and DIVISION_SCALE). */
export function div(a: Decimal, b: Decimal): Decimal {
  if (b.v === 0n) throw new Error('division by zero');
  const s = Math.max(DIVISION_SCALE, a.s, b.s);
  // a/b at scale s: (a.v * 10^(s + b.s - a.s)) / b.v, with one extra digit for rounding.
  const num = a.v * pow10(s + b.s - a.s + 1);
  const q = num / b.v;
  const rounded = (q + (q >= 0n ? 5n : -5n)) / TEN;
  return trimZeros({ v: rounded, s }, Math.max(a.s, b.s));
}

export function mod(a: Decimal, b: Decimal): Decimal {
  if (b.v === 0n) throw new Error('division by zero');
  const s = Math.max(a.s, b.s);
  return { v: rescale(a, s) % rescale(b, s), s };
}

export const compare = (a: Decimal, b: Decimal): number => {
  const s = Math.max(a.s, b.s);
  const x = rescale(a, s);
  const y = rescale(b, s);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Drops trailing zeros below `keep` digits. */
function trimZeros(d: Decimal, keep: number): Decimal {
  let { v, s } = d;
  while (s > keep && v % TEN === 0n) {
    v /= TEN;
    s -= 1;
  }
  return { v, s };
}

/** Rounds half away from zero to `digits` places (may be negative: tens, hundreds). */
export function roundDecimal(d: Decimal, digits: number): Decimal {
  if (digits >= d.s) return d;
  const f = pow10(d.s - digits);
  const half = f / 2n;
  const q = (d.v + (d.v >= 0n ? half : -half)) / f;
  return digits >= 0 ? { v: q, s: digits } : { v: q * pow10(-digits), s: 0 };
}

export function formatDecimal(d: Decimal): string {
  const neg = d.v < 0n;
  const digits = (neg ? -d.v : d.v).toString();
  if (d.s === 0) return (neg ? '-' : '') + digits;
  const padded = digits.padStart(d.s + 1, '0');
  return `${neg ? '-' : ''}${padded.slice(0, -d.s)}.${padded.slice(-d.s)}`;
}

export const decimalToNumber = (d: Decimal): number => Number(formatDecimal(d));
