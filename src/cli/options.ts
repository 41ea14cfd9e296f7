/** Parsers for option values; commander reports their errors as invalid arguments. */
import { InvalidArgumentError, type Command } from 'commander';

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65_535) throw new InvalidArgumentError('expected a port from 1 to 65535');
  return n;
}

/** `--param name=value`, repeatable: collects the values (as text; the definition's declarations type them). */
export function collectParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected name=value, got "${value}"`);
  const name = value.slice(0, at).trim();
  if (Object.prototype.hasOwnProperty.call(previous, name))
    throw new InvalidArgumentError(`param "${name}" is given twice`);
  return { ...previous, [name]: value.slice(at + 1) };
}

/** The options every command that starts runs takes for the run's params. */
export interface RunParamOptions {
  readonly param?: Record<string, string>;
  readonly logicalDate?: string;
}

/** The start options of `run` and `start`, from their flags. */
export function startOptionsOf(
  options: RunParamOptions & { readonly runKey?: string; readonly parallelism?: number },
): { runKey?: string; parallelism?: number; params?: Record<string, string>; logicalDate?: string } {
  return {
    runKey: options.runKey,
    parallelism: options.parallelism,
    params: options.param,
    logicalDate: options.logicalDate,
  };
}

export function addRunParamOptions(command: Command): Command {
  return command
    .option('--param <name=value>', "a value for one of the definition's params (repeatable)", collectParam)
    .option('--logical-date <timestamp>', "the run's logical date for templates (ISO 8601; default: its start)");
}
