/** Runs the CLI on an argument vector and returns the exit code; `main.ts` is the process entry point. */
import { CommanderError } from 'commander';
import type { CliContext, CliIo } from './context';
import { describeError } from './errors';
import { EXIT } from './exit-codes';
import type { Terminal } from './live-display';
import { createProgram } from './program';

const stdoutTerminal: Terminal = {
  write: (text) => void process.stdout.write(text),
  get columns() {
    return process.stdout.columns;
  },
  get rows() {
    return process.stdout.rows;
  },
};

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  // Piped or redirected output gets plain progress lines.
  ...(process.stdout.isTTY ? { terminal: stdoutTerminal } : {}),
};

export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const ctx: CliContext = { env, io, exitCode: EXIT.ok };
  const program = createProgram(ctx);
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    // commander has already printed its message (usage errors) or the help/version it was asked for.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
    const described = describeError(err);
    io.err(described.message);
    return described.exitCode;
  }
  return ctx.exitCode;
}
