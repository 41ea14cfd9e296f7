/**
 * Classifies errors from Postgres and the network: what a retry can fix (a connection refused or lost, a
 * serialization failure, a deadlock, a server shutting down) and what it cannot (bad data, a constraint, an
 * unknown table or column, a syntax error, failed authentication).
 */
import { FailureType } from '../../engine/failure-types';

export interface PgErrorClass {
  /** Failure type: `PostgresUnavailable`, `PostgresRetryable`, `PostgresDataError`, ... */
  readonly type: string;
  readonly retryable: boolean;
  readonly message: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATE classes (first two characters) and what they mean for a retry. */
const CLASSES: Record<string, { type: string; retryable: boolean }> = {
  '08': { type: FailureType.PostgresUnavailable, retryable: true }, // connection exception
  '53': { type: FailureType.PostgresRetryable, retryable: true }, // insufficient resources
  '57': { type: FailureType.PostgresUnavailable, retryable: true }, // operator intervention (shutdown, cancel)
  '58': { type: FailureType.PostgresRetryable, retryable: true }, // system error
  '40': { type: FailureType.PostgresRetryable, retryable: true }, // serialization failure, deadlock
  '22': { type: FailureType.PostgresDataError, retryable: false }, // data exception
  '23': { type: FailureType.PostgresConstraintViolation, retryable: false }, // integrity constraint
  '42': { type: FailureType.PostgresInvalidStatement, retryable: false }, // syntax error or access rule
  '28': { type: FailureType.PostgresAuthenticationFailed, retryable: false }, // invalid authorization
  '3D': { type: FailureType.PostgresInvalidStatement, retryable: false }, // invalid catalog (database) name
  '3F': { type: FailureType.PostgresInvalidStatement, retryable: false }, // invalid schema name
};

/** The class of a Postgres or network error, or undefined for anything else. */
export function classifyPgError(err: Error): PgErrorClass | undefined {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') {
    if (/Connection terminated|connection timeout|Client has encountered a connection error/i.test(err.message))
      return {
        type: FailureType.PostgresUnavailable,
        retryable: true,
        message: `Postgres connection lost: ${err.message}`,
      };
    return undefined;
  }
  if (NETWORK_CODES.has(code))
    return {
      type: FailureType.PostgresUnavailable,
      retryable: true,
      message: `Postgres unreachable (${code}): ${err.message}`,
    };
  if (!/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const c = CLASSES[code.slice(0, 2)];
  const detail = (err as { detail?: unknown }).detail;
  const message = `Postgres error ${code}: ${err.message}${typeof detail === 'string' ? ` (${detail})` : ''}`;
  return c ? { ...c, message } : { type: FailureType.PostgresError, retryable: false, message };
}
