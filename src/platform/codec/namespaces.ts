/** The namespaces a codec credential may decode: names, or `*` for every one. */

/** Every namespace. */
export const ALL_NAMESPACES = '*';

const NAMESPACE = /^[^\s,]{1,255}$/;

/** The set of `entries`, or what is wrong with them (an empty or malformed entry, no entry at all). */
export function parseNamespaces(entries: readonly string[]): ReadonlySet<string> | string {
  const names = entries.map((e) => e.trim());
  if (names.length === 0 || names.every((n) => n === '')) return 'no namespace (give names, or * for every one)';
  const bad = names.find((n) => !NAMESPACE.test(n));
  if (bad !== undefined) return `"${bad}" is not a namespace name (no spaces or commas; * for every namespace)`;
  return new Set(names);
}

/**
 * Whether a credential for `granted` may decode payloads of `namespace` (the request's `X-Namespace`). A request
 * that names no namespace needs a credential for every namespace.
 */
export function mayUseNamespace(granted: ReadonlySet<string>, namespace: string | undefined): boolean {
  return granted.has(ALL_NAMESPACES) || (namespace !== undefined && granted.has(namespace));
}
