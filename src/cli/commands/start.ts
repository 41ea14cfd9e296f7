/** `pipewright start <file>`: validates, starts, prints the workflow id. */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { configFor, withClient } from '../context';
import { readRunTarget, startTarget } from '../definition';
import { addRunParamOptions, parsePositiveInt, startOptionsOf, type RunParamOptions } from '../options';

interface StartCommandOptions extends RunParamOptions {
  readonly runKey?: string;
  readonly parallelism?: number;
}

export function registerStart(program: Command, ctx: CliContext): void {
  addRunParamOptions(
    program
      .command('start')
      .description('validate and start a run; prints its workflow id (the same run key gives the same run)')
      .argument(
        '<file|name@version>',
        'pipeline definition (.yaml, .yml or .json), or a published one (name@version, name@latest)',
      )
      .option('--run-key <key>', 'identifies the run; the same key gives the same run (default: a UTC timestamp)')
      .option('--parallelism <n>', 'most nodes running at once (overrides the definition)', parsePositiveInt),
  ).action(async (file: string, options: StartCommandOptions, command: Command) => {
    const config = configFor(ctx, command);
    const target = await readRunTarget(file, config, ctx.io);
    await withClient(
      config,
      async (client) => {
        const run = await startTarget(client, target, startOptionsOf(options));
        // stdout carries only the id, for scripts: ID=$(pipewright start p.yaml)
        ctx.io.out(run.workflowId);
        if (run.existing)
          ctx.io.err(`a run with key ${run.runKey} already exists (run id ${run.runId}); nothing new started`);
        if (!(await client.hasWorkers()))
          ctx.io.err(`warning: no worker polls task queue "${client.taskQueue}" yet; the run waits until one does`);
      },
      target.nodeTypes,
    );
  });
}
