/** Errors of the typed client. They stay local (`*Error`); nothing here travels over the wire. */

/** Thrown when no Temporal server answers at the configured address. */
export class TemporalUnreachableError extends Error {
  constructor(
    readonly address: string,
    readonly reason: string,
  ) {
    super(`cannot reach Temporal at ${address} (${reason})`);
    this.name = 'TemporalUnreachableError';
  }
}

/** Thrown when no run has the given workflow id in the namespace. */
export class RunNotFoundError extends Error {
  constructor(
    readonly workflowId: string,
    readonly namespace: string,
  ) {
    super(`no run with workflow id "${workflowId}" in namespace "${namespace}"`);
    this.name = 'RunNotFoundError';
  }
}

/** Thrown when the status query gets no answer: no worker polls the run's task queue, or the run never began. */
export class StatusUnavailableError extends Error {
  constructor(
    readonly workflowId: string,
    readonly reason: string,
  ) {
    super(`cannot get the status of run "${workflowId}": ${reason}`);
    this.name = 'StatusUnavailableError';
  }
}

/** Thrown when an option passed to the client has a value it cannot use (run key, parallelism, list filter). */
export class InvalidOptionError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = 'InvalidOptionError';
  }
}

/** Thrown when a run refuses an operator's request (pause, resume, retry, skip, fail, rerun), with the reason. */
export class RunRefusedError extends Error {
  constructor(
    readonly workflowId: string,
    readonly reason: string,
  ) {
    super(`run "${workflowId}" refused: ${reason}`);
    this.name = 'RunRefusedError';
  }
}
