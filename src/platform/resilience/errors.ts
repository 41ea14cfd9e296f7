/**
 * Errors of calls to external resources and of their circuit breakers. They stay local; the activity layer turns
 * them into failures (see `classify.ts` for which a retry can help).
 */
import { FailureType } from '../../engine/failure-types';

/** Thrown when a call is refused because the resource's breaker is open (or a half-open trial is under way). */
export class CircuitOpenError extends Error {
  constructor(
    /** The resource, e.g. `postgres://127.0.0.1:5432/postgres` or `https://api.example.com`. */
    readonly resource: string,
    /** Time until the breaker lets a trial call through; 0 when it is half-open with a trial in flight. */
    readonly retryAfterMs: number,
    /** The breaker's reset timeout, which scales the jitter added to the retry. */
    readonly resetTimeoutMs: number,
    /** Whether another worker opened it (told through Redis) rather than this worker's own failures. */
    readonly openedByPeer = false,
  ) {
    super(
      `circuit breaker for ${resource} is open${openedByPeer ? ' (opened by another worker)' : ''}: ` +
        `calls are refused for ${Math.ceil(retryAfterMs)}ms more, then one trial call goes through`,
    );
    this.name = FailureType.CircuitOpen;
  }
}

/** Thrown when a call through a breaker took longer than the breaker's timeout (it counts as a failure). */
export class BreakerTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(
    readonly resource: string,
    readonly timeoutMs: number,
  ) {
    super(`call to ${resource} timed out after ${timeoutMs}ms`);
    this.name = FailureType.Timeout;
  }
}

/** The first error in `err`'s cause chain that is an instance of `type`. */
export function findInCauses<T extends Error>(err: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e !== undefined && e !== null; depth++) {
    if (e instanceof type) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Thrown when a resource cannot be called at all right now (a client that is not connected). */
export class ResourceUnavailableError extends Error {
  readonly code = 'EUNAVAILABLE';
  constructor(
    readonly resource: string,
    reason: string,
  ) {
    super(`${resource} is unavailable: ${reason}`);
    this.name = FailureType.ResourceUnavailable;
  }
}

/** Thrown when a server answered with a status other than 2xx. */
export class HttpStatusError extends Error {
  constructor(
    /** The URL without credentials or query string. */
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    /** From a `Retry-After` header in seconds, when the server sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(`HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${url}`);
    this.name = 'HttpStatusError';
  }
}

/** Thrown when a request could not be made or completed: connection refused or reset, DNS, TLS. */
export class HttpRequestError extends Error {
  constructor(
    readonly url: string,
    /** The network error code (ECONNREFUSED, ECONNRESET, ...), when there is one. */
    readonly code: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`request to ${url} failed${code ? ` (${code})` : ''}: ${message}`, options);
    this.name = 'HttpRequestError';
  }
}
