/**
 * Validation and quoting of Postgres identifiers taken from pipeline definitions.
 * Names are never interpolated raw into SQL: they pass {@link quoteIdent} or {@link quoteQualified} first.
 */
import { z } from 'zod';

/** The only shape an identifier part may have: a letter or underscore, then letters, digits, underscores. */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Postgres truncates identifiers longer than NAMEDATALEN - 1 bytes, which would silently alias names. */
export const MAX_IDENTIFIER_BYTES = 63;

const ALLOWED = `letters, digits and underscores, starting with a letter or underscore, at most ${MAX_IDENTIFIER_BYTES} bytes`;

/** Thrown when a table, schema or column name is not a plain identifier. */
export class InvalidIdentifierError extends Error {
  constructor(
    readonly identifier: string,
    readonly kind: IdentifierKind,
    readonly reason: string,
  ) {
    super(`invalid ${kind} name ${JSON.stringify(identifier)}: ${reason}; allowed: ${ALLOWED}`);
    this.name = 'InvalidIdentifierError';
  }
}

/** What an identifier names, for error messages. */
export type IdentifierKind = 'table' | 'schema' | 'column' | 'identifier';

/** Returns why `name` is not a valid single identifier part, or undefined when it is valid. */
export function identifierProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (utf8Length(name) > MAX_IDENTIFIER_BYTES) return `it is longer than ${MAX_IDENTIFIER_BYTES} bytes`;
  if (!IDENTIFIER_PATTERN.test(name)) return 'it contains characters that are not allowed';
  return undefined;
}

/** Returns why `name` is not a valid `table` or `schema.table`, or undefined when it is valid. */
export function qualifiedNameProblem(name: string): string | undefined {
  const parts = name.split('.');
  if (parts.length > 2) return 'it has more than one dot (only schema.table is allowed)';
  for (const part of parts) {
    const problem = identifierProblem(part);
    if (problem) return parts.length === 2 ? `part ${JSON.stringify(part)}: ${problem}` : problem;
  }
  return undefined;
}

/** Validates one identifier part and returns it double-quoted, e.g. `"order_lines"`. */
export function quoteIdent(name: string, kind: IdentifierKind = 'identifier'): string {
  const problem = identifierProblem(name);
  if (problem) throw new InvalidIdentifierError(name, kind, problem);
  // The pattern admits no double quote, so wrapping is enough; quoting keeps case and reserved words intact.
  return `"${name}"`;
}

/** A validated `schema.table` (schema optional), split into its parts. */
export interface QualifiedName {
  readonly schema?: string;
  readonly name: string;
}

/** Validates `table` or `schema.table` and returns its parts. */
export function parseQualifiedName(name: string, kind: IdentifierKind = 'table'): QualifiedName {
  const problem = qualifiedNameProblem(name);
  if (problem) throw new InvalidIdentifierError(name, kind, problem);
  const [first, second] = name.split('.') as [string, string | undefined];
  return second === undefined ? { name: first } : { schema: first, name: second };
}

/** Validates `table` or `schema.table` and returns it quoted, e.g. `"sales"."orders"`. */
export function quoteQualified(name: string, kind: IdentifierKind = 'table'): string {
  const q = parseQualifiedName(name, kind);
  return q.schema === undefined ? `"${q.name}"` : `"${q.schema}"."${q.name}"`;
}

/** A zod schema for a single identifier (column, schema), for node params. */
export function zIdentifier(kind: IdentifierKind = 'column'): z.ZodEffects<z.ZodString, string, string> {
  return z.string().superRefine((v, ctx) => {
    const problem = identifierProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: new InvalidIdentifierError(v, kind, problem).message });
  });
}

/** A zod schema for `table` or `schema.table`, for node params. */
export function zQualifiedName(kind: IdentifierKind = 'table'): z.ZodEffects<z.ZodString, string, string> {
  return z.string().superRefine((v, ctx) => {
    const problem = qualifiedNameProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: new InvalidIdentifierError(v, kind, problem).message });
  });
}

/** Bytes of `s` in UTF-8, counted without Buffer (not available in workflow code, which validates names too). */
function utf8Length(s: string): number {
  let bytes = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return bytes;
}
