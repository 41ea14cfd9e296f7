/**
 * An estimate of the memory a cached value holds, for L1's byte bound. Cheaper than serializing the value; exact
 * enough to bound memory (strings count two bytes a character plus a small header).
 */

const MAX_DEPTH = 8;

export function approxBytes(value: unknown, depth = 0): number {
  switch (typeof value) {
    case 'string':
      return 16 + value.length * 2;
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 4;
    case 'undefined':
      return 0;
    case 'object': {
      if (value === null) return 4;
      if (depth >= MAX_DEPTH) return 64;
      let total = 16;
      if (Array.isArray(value)) {
        for (const item of value) total += 8 + approxBytes(item, depth + 1);
        return total;
      }
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        total += 16 + k.length * 2 + approxBytes(v, depth + 1);
      return total;
    }
    default:
      return 16;
  }
}
