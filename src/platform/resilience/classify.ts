/**
 * One table of what a retry can fix. Retryable: connection refused or reset, timeouts, an open breaker, a
 * serialization failure or deadlock, a server shutting down or overloaded (HTTP 5xx, 429, 408). Not retryable:
 * bad input (the definition, a file, a response that is not what the node expects), constraint violations,
 * invalid SQL, and failed authentication (Postgres 28xxx, HTTP 401 and 403): a retry would meet them again.
 *
 * A second question is whether an error says the *resource* is unhealthy, which is what a circuit breaker counts:
 * a refused connection does, a constraint violation (the database answered) does not.
 */
import { FailureType } from '../../engine/failure-types';
import { classifyPgError } from '../db/errors';
import { isError } from '../errors';
import { BreakerTimeoutError, CircuitOpenError, HttpRequestError, HttpStatusError } from './errors';

export interface ErrorClass {
  /** The failure type Temporal sees (matched by `nonRetryableErrorTypes`). */
  readonly type: string;
  readonly retryable: boolean;
  readonly message: string;
  /** The resource is unhealthy (a breaker counts it as a failure). */
  readonly resourceFailure: boolean;
}

/** Network error codes that mean the other side is unreachable or went away. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'EUNAVAILABLE',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);

/** HTTP statuses a retry can fix: the server is overloaded or restarting, or asks to come back later. */
const RETRYABLE_HTTP = new Set([408, 425, 429, 500, 502, 503, 504]);

const codeOf = (e: Error): string | undefined => {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
};

/** Classifies `err`; undefined for errors nothing here knows (they are retried, as Temporal does by default). */
export function classifyError(err: unknown): ErrorClass | undefined {
  if (!isError(err)) return undefined;
  if (err instanceof CircuitOpenError)
    return { type: FailureType.CircuitOpen, retryable: true, message: err.message, resourceFailure: false };
  // Errors of the definition or the input say so themselves.
  if ((err as { nonRetryable?: unknown }).nonRetryable === true)
    return { type: err.name || 'Error', retryable: false, message: err.message, resourceFailure: false };
  if (err instanceof HttpStatusError) return classifyHttpStatus(err);
  if (err instanceof HttpRequestError) {
    const timeout = err.code !== undefined && TIMEOUT_CODES.has(err.code);
    return {
      type: timeout ? FailureType.Timeout : FailureType.HttpUnavailable,
      retryable: true,
      message: err.message,
      resourceFailure: true,
    };
  }
  if (err instanceof BreakerTimeoutError || err.name === 'TimeoutError')
    return { type: FailureType.Timeout, retryable: true, message: err.message, resourceFailure: true };
  const pg = classifyPgError(err);
  if (pg) return { ...pg, resourceFailure: pg.type === FailureType.PostgresUnavailable || isOverloaded(err) };
  const code = codeOf(err);
  if (code !== undefined && (NETWORK_CODES.has(code) || TIMEOUT_CODES.has(code)))
    return {
      type: TIMEOUT_CODES.has(code) ? FailureType.Timeout : FailureType.ConnectionFailed,
      retryable: true,
      message: err.message,
      resourceFailure: true,
    };
  return undefined;
}

function classifyHttpStatus(err: HttpStatusError): ErrorClass {
  const { status } = err;
  if (status === 401 || status === 403)
    return { type: FailureType.AuthenticationFailed, retryable: false, message: err.message, resourceFailure: false };
  if (RETRYABLE_HTTP.has(status) || status >= 500)
    return { type: FailureType.HttpUnavailable, retryable: true, message: err.message, resourceFailure: true };
  return { type: FailureType.HttpBadRequest, retryable: false, message: err.message, resourceFailure: false };
}

/** Postgres refusing connections because it is full (53300) or overloaded counts against its breaker. */
const isOverloaded = (err: Error): boolean => {
  const code = codeOf(err);
  return code === '53300' || code === '53400';
};

/** Whether a breaker counts `err` as a failure of its resource (anything else means the resource answered). */
export function isResourceFailure(err: unknown): boolean {
  return classifyError(err)?.resourceFailure ?? false;
}
