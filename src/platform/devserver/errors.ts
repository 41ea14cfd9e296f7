/** Errors of the local dev server. */

/** Thrown when the local Temporal dev server cannot be started or does not become ready. */
export class DevServerError extends Error {
  constructor(
    readonly bin: string,
    message: string,
  ) {
    super(message);
    this.name = 'DevServerError';
  }
}
