/**
 * Column names made from a CSV header (`headers: normalize`): lower snake_case as Postgres folds an unquoted name
 * (`orderId` -> `orderid`; camelCase is not split), accents dropped, every run of other characters one `_`, no `_` at
 * either end, a leading digit prefixed with `_`, an empty name `column_<position>`, at most 63 bytes, and repeated
 * names numbered `_2`, `_3` in file order. Pure: validation explains the mapping from the same code.
 */
import { MAX_IDENTIFIER_BYTES } from '../identifiers';

/** The normalized form of one header name at 1-based `position`, before duplicates are numbered. */
export function normalizeHeaderName(raw: string, position: number): string {
  const ascii = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  let name = ascii.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (name === '') name = `column_${position}`;
  else if (name.charCodeAt(0) <= 57) name = `_${name}`;
  // Only ASCII is left, so characters are bytes.
  return name.slice(0, MAX_IDENTIFIER_BYTES).replace(/_+$/, '');
}

/** The column names of a whole header: each normalized, later repeats numbered so that every name is unique. */
export function normalizeHeader(header: readonly string[]): string[] {
  const base = header.map((h, i) => normalizeHeaderName(h, i + 1));
  // A name as written elsewhere in the header is never taken by a numbered repeat (`a, a, a_2` -> a, a_3, a_2).
  const reserved = new Set(base);
  const used = new Set<string>();
  return base.map((name) => {
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
    for (let k = 2; ; k++) {
      const suffix = `_${k}`;
      const candidate = name.slice(0, MAX_IDENTIFIER_BYTES - suffix.length) + suffix;
      if (!used.has(candidate) && !reserved.has(candidate)) {
        used.add(candidate);
        return candidate;
      }
    }
  });
}
