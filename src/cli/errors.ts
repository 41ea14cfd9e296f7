/** One clear line per error, naming the thing and what to do; never a stack trace. */
import { NamespaceNotFoundError } from '@temporalio/common';
import {
  InvalidOptionError,
  RunNotFoundError,
  RunRefusedError,
  StatusUnavailableError,
  TemporalUnreachableError,
} from '../client/errors';
import { InvalidDefinitionError } from '../model/errors';
import { ConfigError } from '../platform/config/config';
import { DefinitionFileError } from '../client/definition-file';
import { DevServerError } from '../platform/devserver/errors';
import { NodeModuleError } from '../nodes/load-modules';
import { DuplicateNodeTypeError } from '../model/errors';
import { DefinitionConflictError, DefinitionNotFoundError, InvalidReferenceError } from '../platform/registry';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';

/** Thrown by commands for errors they describe themselves. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface DescribedError {
  readonly message: string;
  readonly exitCode: ExitCode;
}

export function describeError(err: unknown): DescribedError {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof TemporalUnreachableError)
    return {
      message: `cannot reach Temporal at ${err.address}: start it with \`pipewright dev\` or set TEMPORAL_ADDRESS (${err.reason})`,
      exitCode: EXIT.unavailable,
    };
  if (err instanceof DevServerError) return { message: err.message, exitCode: EXIT.unavailable };
  if (err instanceof NamespaceNotFoundError)
    return {
      message: `namespace "${err.namespace}" does not exist: create it (temporal operator namespace create) or set TEMPORAL_NAMESPACE`,
      exitCode: EXIT.invalidInput,
    };
  if (
    err instanceof InvalidDefinitionError ||
    err instanceof DefinitionFileError ||
    err instanceof ConfigError ||
    err instanceof NodeModuleError ||
    err instanceof DuplicateNodeTypeError ||
    err instanceof InvalidOptionError ||
    err instanceof DefinitionNotFoundError ||
    err instanceof DefinitionConflictError ||
    err instanceof InvalidReferenceError
  )
    return { message: err.message, exitCode: EXIT.invalidInput };
  if (err instanceof RunNotFoundError)
    return { message: `${err.message}: check the id with \`pipewright list\``, exitCode: EXIT.failed };
  if (err instanceof StatusUnavailableError)
    return { message: `${err.message} (start one with \`pipewright worker\`)`, exitCode: EXIT.failed };
  if (err instanceof RunRefusedError) return { message: err.message, exitCode: EXIT.failed };
  const message = err instanceof Error ? err.message : String(err);
  return { message: `error: ${message}`, exitCode: EXIT.failed };
}
