/**
 * Parquet values as the text Postgres reads in COPY: decimals exactly from their unscaled integer and scale (never
 * through a JS float), dates and timestamps computed from their integer counts (to the microsecond, where a JS `Date`
 * stops at the millisecond), nested values as JSON with 64-bit integers kept exact.
 */

const MICROS_PER_DAY = 86_400_000_000n;
const utf8 = new TextDecoder();

/** The decimal text of an unscaled integer (a number, a bigint, or big-endian two's complement bytes) and its scale. */
export function decimalText(unscaled: number | bigint | Uint8Array, scale: number): string {
  const n = unscaled instanceof Uint8Array ? bytesToBigint(unscaled) : BigInt(unscaled);
  const negative = n < 0n;
  let digits = (negative ? -n : n).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  } else if (scale < 0) {
    digits += '0'.repeat(-scale);
  }
  return negative ? `-${digits}` : digits;
}

function bytesToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  const bits = BigInt(bytes.length * 8);
  return (bytes[0] as number) & 0x80 ? v - (1n << bits) : v;
}

/** `YYYY-MM-DD` of a count of days since 1970-01-01 (proleptic Gregorian, as Postgres counts; years BC marked). */
export function dateText(days: number): string {
  // Howard Hinnant's civil_from_days.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const md = `${pad2(m)}-${pad2(d)}`;
  return y >= 1 ? `${String(y).padStart(4, '0')}-${md}` : `${String(1 - y).padStart(4, '0')}-${md} BC`;
}

/** The timestamp text (UTC, `+00`) of a count of `unitsPerSecond` since the epoch; nanoseconds truncate to micros. */
export function timestampText(count: bigint, unitsPerSecond: 1_000n | 1_000_000n | 1_000_000_000n): string {
  const micros = unitsPerSecond === 1_000n ? count * 1000n : floorDiv(count, unitsPerSecond / 1_000_000n);
  const days = floorDiv(micros, MICROS_PER_DAY);
  const date = dateText(Number(days));
  const bc = date.endsWith(' BC');
  return `${bc ? date.slice(0, -3) : date} ${timeText(micros - days * MICROS_PER_DAY, 1_000_000n)}+00${bc ? ' BC' : ''}`;
}

/** `HH:MM:SS[.ffffff]` of a time of day counted in `unitsPerSecond`. */
export function timeText(count: bigint, unitsPerSecond: bigint): string {
  const micros =
    unitsPerSecond >= 1_000_000n ? count / (unitsPerSecond / 1_000_000n) : count * (1_000_000n / unitsPerSecond);
  const s = Number(micros / 1_000_000n);
  const frac = Number(micros % 1_000_000n);
  const hms = `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
  return frac === 0 ? hms : `${hms}.${String(frac).padStart(6, '0')}`;
}

/** A double as Postgres reads it: the shortest text that round-trips, and its names for the special values. */
export function floatText(v: number): string {
  if (Number.isFinite(v)) return String(v);
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** The text of binary data read as a string (a BYTE_ARRAY without a logical type): UTF-8. */
export function bytesText(v: Uint8Array): string {
  return utf8.decode(v);
}

/** A nested value (list, map, struct, variant, GeoJSON) as JSON: 64-bit integers exact, binary as UTF-8 text. */
export function jsonText(v: unknown): string {
  return JSON.stringify(v, (_key, x: unknown) => {
    if (typeof x === 'bigint') return BIGINT_MARK + x.toString() + BIGINT_MARK;
    if (x instanceof Uint8Array) return bytesText(x);
    if (typeof x === 'number' && !Number.isFinite(x)) return null;
    return x;
  }).replace(BIGINT_RE, '$1');
}

// A bigint travels through JSON.stringify as a marked string, then loses its quotes and marks.
const BIGINT_MARK = '\u0000n';
const BIGINT_RE = /"\\u0000n(-?\d+)\\u0000n"/g;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
