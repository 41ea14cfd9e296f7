/** Redis keys and the invalidation channel of a cache: `<prefix>:<namespace>:<key>`, `<prefix>:invalidate`. */

export const redisKey = (prefix: string, namespace: string, key: string): string => `${prefix}:${namespace}:${key}`;

export const invalidationChannel = (prefix: string): string => `${prefix}:invalidate`;

/** `text` with the characters Redis glob patterns treat specially escaped, for `SCAN MATCH <text>*`. */
export const escapeGlob = (text: string): string => text.replace(/[*?[\]\\^]/g, (c) => `\\${c}`);
