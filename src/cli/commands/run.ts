/** `pipewright run <file>`: validates, starts, and shows progress until the run ends. */
import type { Command } from 'commander';
import type { PipewrightClient } from '../../client/client';
import type { StartedRun } from '../../client/types';
import type { CliContext, CliIo } from '../context';
import { configFor, runUrl, withClient } from '../context';
import { readRunTarget, startTarget } from '../definition';
import { EXIT } from '../exit-codes';
import { followRun } from '../follow-run';
import { addRunParamOptions, parsePositiveInt, startOptionsOf, type RunParamOptions } from '../options';

interface RunOptions extends RunParamOptions {
  readonly watch?: boolean;
  readonly runKey?: string;
  readonly parallelism?: number;
}

export function registerRun(program: Command, ctx: CliContext): void {
  addRunParamOptions(
    program
      .command('run')
      .description('validate and start a run, then show progress until it ends; the exit code says how it ended')
      .argument(
        '<file|name@version>',
        'pipeline definition (.yaml, .yml or .json), or a published one (name@version, name@latest)',
      )
      .option(
        '--watch',
        'show live progress (each node: state, rows, rows per second) until the run ends (the default)',
      )
      .option('--no-watch', 'print the workflow id and return once started')
      .option('--run-key <key>', 'identifies the run; the same key gives the same run (default: a UTC timestamp)')
      .option('--parallelism <n>', 'most nodes running at once (overrides the definition)', parsePositiveInt),
  ).action(async (file: string, options: RunOptions, command: Command) => {
    const config = configFor(ctx, command);
    const target = await readRunTarget(file, config, ctx.io);
    ctx.exitCode = await withClient(
      config,
      async (client) => {
        const run = await startTarget(client, target, startOptionsOf(options));
        await announce(client, run, ctx.io, runUrl(config, run.workflowId));
        if (options.watch === false) return EXIT.ok;
        return followRun(client, run.workflowId, ctx.io);
      },
      target.nodeTypes,
    );
  });
}

/** Says what was started (or found), and warns when no worker would pick it up. */
export async function announce(client: PipewrightClient, run: StartedRun, io: CliIo, url?: string): Promise<void> {
  io.out(
    run.existing
      ? `a run with key ${run.runKey} already exists: ${run.workflowId} (run id ${run.runId})`
      : `started ${run.workflowId} (run id ${run.runId})`,
  );
  if (url) io.out(`Web UI: ${url}`);
  if (!(await client.hasWorkers()))
    io.err(
      `warning: no worker polls task queue "${client.taskQueue}" yet; the run waits until one does ` +
        '(`pipewright worker`, or `pipewright dev` for a local server with a worker)',
    );
}
