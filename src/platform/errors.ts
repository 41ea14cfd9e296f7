/** Errors shared by every part of the platform: a setting that cannot be used, an input that cannot be used. */
import { types } from 'node:util';

/**
 * Thrown when a setting has a value the process cannot use. Each problem names its setting; the message has one
 * line per problem, so a worker that cannot start says why in one line.
 */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.map((p) => `invalid configuration: ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * Base of errors caused by the definition or the input: a retry would meet the same problem. The activity layer turns
 * every error with `nonRetryable: true` into a non-retryable failure of the same type (the error's name).
 */
export abstract class InputError extends Error {
  readonly nonRetryable = true;
}

/**
 * Whether `err` is an Error, also one made in another realm (a `vm` context, a test runner's sandbox), where
 * `instanceof Error` is false although it is an Error with its `code` and `message`.
 */
export function isError(err: unknown): err is Error {
  return err instanceof Error || types.isNativeError(err);
}
