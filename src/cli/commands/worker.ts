/** `pipewright worker`: a worker from the environment's settings, until SIGINT or SIGTERM. */
import type { Command } from 'commander';
import { PipewrightClient } from '../../client/client';
import type { CliContext } from '../context';
import { configFor } from '../context';

export function registerWorker(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('run a worker on the configured task queue until SIGINT or SIGTERM (then drain and exit)')
    .action(async (_options: unknown, command: Command) => {
      const config = configFor(ctx, command);
      // Fails with one clear line when nobody answers, before the worker bundles its workflows.
      await (await PipewrightClient.connect(config)).close();
      const { runWorker } = await import('../../../worker/run-worker');
      await runWorker(config, (line) => ctx.io.out(line));
    });
}
