/**
 * Errors of HTTP responses the caller cannot use. Errors of the call itself (a status, a refused connection) are
 * in `../resilience/errors.ts`, which classifies them.
 */
import { FailureType } from '../../engine/failure-types';
import { InputError } from '../errors';

/** Thrown when a response is not what the node expects: not JSON, or no records where `records` points. */
export class HttpResponseError extends InputError {
  constructor(
    readonly nodeId: string,
    readonly url: string,
    reason: string,
  ) {
    super(`node "${nodeId}": response from ${url}: ${reason}`);
    this.name = FailureType.HttpResponseError;
  }
}
