/** Errors of HTTP sources. Whether a retry can help follows from the status (see `src/resilience/classify.ts`). */
import { DataInputError } from '../data/errors';

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

/** Thrown when a response is not what the node expects: not JSON, or no records where `records` points. */
export class HttpResponseError extends DataInputError {
  constructor(
    readonly nodeId: string,
    readonly url: string,
    reason: string,
  ) {
    super(`node "${nodeId}": response from ${url}: ${reason}`);
    this.name = 'HttpResponseError';
  }
}
