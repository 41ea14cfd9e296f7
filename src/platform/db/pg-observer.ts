/**
 * What the data plane reports about its Postgres work: each query's and each COPY's duration, by a bounded
 * operation label and the connection's name (never its URL, which may hold a password). The worker passes an
 * observer that feeds its metrics; tests pass their own.
 */

/** How a statement or COPY ended. */
export type PgOutcome = 'ok' | 'error';

export interface PgQueryEvent {
  /** `default`, or the name of a `DATABASE_URL_<NAME>` connection. */
  readonly connection: string;
  /** The statement's leading keyword, from a fixed set; see {@link sqlOperation}. */
  readonly operation: string;
  readonly seconds: number;
  readonly outcome: PgOutcome;
}

export interface PgCopyEvent {
  readonly connection: string;
  /** `copy_in` (COPY ... FROM STDIN, a load) or `copy_out` (COPY ... TO STDOUT, a read). */
  readonly operation: 'copy_in' | 'copy_out';
  /** From the COPY statement until the last row was sent (in) or read (out), or the COPY failed. */
  readonly seconds: number;
  readonly outcome: PgOutcome;
}

/** Receives one call per statement and per COPY. Calls must be cheap and must not throw. */
export interface PgObserver {
  query(event: PgQueryEvent): void;
  copy(event: PgCopyEvent): void;
}

const OPERATIONS = new Set([
  'select',
  'insert',
  'update',
  'delete',
  'merge',
  'with',
  'values',
  'table',
  'create',
  'drop',
  'alter',
  'truncate',
  'lock',
  'begin',
  'commit',
  'rollback',
  'savepoint',
  'release',
  'declare',
  'fetch',
  'close',
  'set',
  'reset',
  'show',
  'analyze',
  'vacuum',
  'copy',
]);

/**
 * The label of a statement: its first keyword in lower case (`select`, `insert`, `begin`, ...; `start` counts as
 * `begin`, `end` as `commit`), or `other`. A fixed set, so the label never carries SQL text or values.
 */
export function sqlOperation(text: string | undefined): string {
  if (!text) return 'other';
  // Leading blanks, line and block comments, and opening parentheses: `(SELECT ...) UNION ...`.
  const body = text.replace(/^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/|\()*/, '');
  const word = /^[A-Za-z]+/.exec(body)?.[0].toLowerCase();
  if (word === undefined) return 'other';
  if (word === 'start') return 'begin';
  if (word === 'end') return 'commit';
  return OPERATIONS.has(word) ? word : 'other';
}

/** The COPY label of a statement, or undefined when it is no COPY to or from the client. */
export function copyOperation(text: string | undefined): PgCopyEvent['operation'] | undefined {
  if (!text || sqlOperation(text) !== 'copy') return undefined;
  if (/\bFROM\s+STDIN\b/i.test(text)) return 'copy_in';
  if (/\bTO\s+STDOUT\b/i.test(text)) return 'copy_out';
  return undefined;
}
