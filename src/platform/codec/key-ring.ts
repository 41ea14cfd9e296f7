/**
 * The AES-256 keys of the payload codec: several, for rotation. New payloads are encrypted with the current key;
 * any key of the ring decrypts the payloads that name its id.
 */
import { inspect } from 'node:util';
import { InvalidCodecKeysError } from './errors';

/** Letters, digits, `.`, `_`, `-`; at most 64 characters; stored in every payload's metadata. */
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** AES-256 keys are 32 bytes. */
export const KEY_BYTES = 32;

/** Keys by id and the current one. Keys never print: `inspect` and JSON show the ids only. */
export class KeyRing {
  readonly #keys: ReadonlyMap<string, Buffer>;

  constructor(
    keys: ReadonlyMap<string, Buffer>,
    readonly currentKeyId: string,
  ) {
    if (!keys.has(currentKeyId)) throw new InvalidCodecKeysError([`the current key id "${currentKeyId}" has no key`]);
    this.#keys = keys;
  }

  /** The key of `id`, or undefined when the ring does not hold it. */
  key(id: string): Buffer | undefined {
    return this.#keys.get(id);
  }

  get ids(): readonly string[] {
    return [...this.#keys.keys()];
  }

  toJSON(): { currentKeyId: string; ids: readonly string[] } {
    return { currentKeyId: this.currentKeyId, ids: this.ids };
  }

  [inspect.custom](): string {
    return `KeyRing(current ${this.currentKeyId}; ids ${this.ids.join(', ')})`;
  }
}

/**
 * Parses `id:base64key` entries separated by commas or white space (a file may hold one per line), e.g.
 * `2026-05:q3J...=,2025-11:Z0F...=`. The current key is `currentKeyId`, or the first entry. Throws
 * {@link InvalidCodecKeysError} listing every problem, naming keys by id and never showing key material.
 */
export function parseKeyRing(spec: string, currentKeyId?: string): KeyRing {
  const problems: string[] = [];
  const keys = new Map<string, Buffer>();
  const entries = spec.split(/[\s,]+/).filter(Boolean);
  if (entries.length === 0) problems.push('no keys: expected id:base64key entries separated by commas');
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const material = colon > 0 ? entry.slice(colon + 1) : '';
    const where = id ? `key "${id}"` : `entry ${index + 1}`;
    if (!KEY_ID.test(id)) {
      problems.push(`${where}: expected id:base64key with an id of letters, digits, ".", "_" or "-"`);
      return;
    }
    if (keys.has(id)) {
      problems.push(`${where}: given twice`);
      return;
    }
    if (!BASE64.test(material)) {
      problems.push(`${where}: not valid base64 (generate one with: openssl rand -base64 32)`);
      return;
    }
    const key = Buffer.from(material, 'base64');
    if (key.length !== KEY_BYTES) {
      problems.push(`${where}: ${key.length} bytes; AES-256-GCM needs ${KEY_BYTES} (openssl rand -base64 32)`);
      return;
    }
    keys.set(id, key);
  });
  const current = currentKeyId || entries[0]?.split(':')[0] || '';
  if (problems.length === 0 && !keys.has(current))
    problems.push(`the current key id "${current}" is not among the keys (${[...keys.keys()].join(', ')})`);
  if (problems.length > 0) throw new InvalidCodecKeysError(problems);
  return new KeyRing(keys, current);
}
