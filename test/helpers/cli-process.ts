/** The `pipewright` CLI as a child process (`node bin/pipewright.js ...`): to completion, or kept running. */
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, TEMPORAL_BIN } from './paths';

export const PIPEWRIGHT_BIN = path.join(ROOT, 'bin', 'pipewright.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end, with `env` on top of this process's environment. */
export function runPipewright(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<CliResult> {
  const child = spawn(process.execPath, [PIPEWRIGHT_BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
  /** Resolves once the output matches `pattern`; rejects if the process exits first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a long-running command (`worker`, `codec-server`). */
export function startPipewright(args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [PIPEWRIGHT_BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, PIPEWRIGHT_LOG_LEVEL: 'WARN', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => output,
    async waitFor(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(output);
        if (m) return m;
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} before ${pattern}: ${output}`);
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs}ms: ${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

const exec = promisify(execFile);

/** The official `temporal` CLI against `address`; returns stdout. */
export async function temporalCli(address: string, args: readonly string[]): Promise<string> {
  const { stdout } = await exec(TEMPORAL_BIN, [...args, '--address', address, '--namespace', 'default'], {
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}
