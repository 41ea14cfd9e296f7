/**
 * References to published definitions: `name@version`, or `name@latest` (also just `name`) for the version
 * published last. Pure.
 */
import { NAME_RE } from './schema';

export const LATEST = 'latest';

/** Published versions: what may follow the `@` (besides `latest`). */
export const VERSION_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export interface DefinitionRef {
  readonly name: string;
  /** A published version, or `latest`. */
  readonly version: string;
}

/** Thrown when a reference is not `name@version`. */
export class InvalidReferenceError extends Error {
  readonly nonRetryable = true;
  constructor(readonly ref: string) {
    super(`"${ref}" is not a definition reference: write name@version (or name@latest), the name as in the definition`);
    this.name = 'InvalidReferenceError';
  }
}

/** The reference, or undefined when `text` is not one. */
export function tryParseRef(text: string): DefinitionRef | undefined {
  const at = text.lastIndexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const version = at < 0 ? LATEST : text.slice(at + 1);
  if (!NAME_RE.test(name) || !VERSION_RE.test(version)) return undefined;
  return { name, version };
}

export function parseRef(text: string): DefinitionRef {
  const ref = tryParseRef(text);
  if (!ref) throw new InvalidReferenceError(text);
  return ref;
}

export const formatRef = (ref: DefinitionRef): string => `${ref.name}@${ref.version}`;

/** Whether a CLI argument names a reference (`name@version`) rather than a file. */
export const looksLikeRef = (text: string): boolean => text.includes('@') && tryParseRef(text) !== undefined;
