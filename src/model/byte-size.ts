/**
 * Sizes in definitions: a number of bytes, or a string such as `512kB`, `64MB`, `1.5GB`. Units are powers of 1024, as
 * Postgres reads its memory settings (`kB`, `MB`, `GB`, `TB`; the case of the letters does not matter, `KiB`-style
 * spellings are accepted too). Pure: bundled into workflow code.
 */
const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };
const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?$/i;

/** The form a size takes in a definition. */
export type ByteSizeInput = number | string;

/** Parses a size to a whole number of bytes (at least 1), or returns undefined when the text is not a size. */
export function parseByteSize(value: ByteSizeInput): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 1 ? value : undefined;
  const match = SIZE_RE.exec(value.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase().replace('i', '');
  const bytes = Math.floor(Number(match[1]) * (UNIT_BYTES[unit] ?? 1));
  return Number.isSafeInteger(bytes) && bytes >= 1 ? bytes : undefined;
}

/** Like {@link parseByteSize} but throws; use only on values that passed schema validation. */
export function byteSize(value: ByteSizeInput): number {
  const bytes = parseByteSize(value);
  if (bytes === undefined) throw new Error(`not a size: ${JSON.stringify(value)}`);
  return bytes;
}
