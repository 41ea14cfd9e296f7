/**
 * `pipewright rerun <id> [--from-failure | --from <node>]`: a new run of an ended run's definition version and
 * params that reuses the outputs of the nodes that succeeded there and runs the rest; follows it like `run`.
 */
import type { Command } from 'commander';
import { InvalidOptionError } from '../../client/errors';
import type { RerunOptions } from '../../client/rerun';
import type { CliContext } from '../context';
import { configFor, runUrl, withClient } from '../context';
import { EXIT } from '../exit-codes';
import { followRun } from '../follow-run';
import { announce } from './run';

interface RerunFlags {
  readonly fromFailure?: boolean;
  readonly from?: string;
  readonly runKey?: string;
  readonly watch?: boolean;
}

export function registerRerun(program: Command, ctx: CliContext): void {
  program
    .command('rerun')
    .description(
      'start a new run of an ended run (same definition version and params) that reuses the outputs of its succeeded nodes and runs the rest',
    )
    .argument('<workflow-id>', 'the ended run')
    .option('--from-failure', 'run again what did not succeed, and what depends on it (the default)')
    .option('--from <node>', 'run this node and everything downstream of it again (and what did not succeed)')
    .option('--run-key <key>', "the new run's key (default: a UTC timestamp)")
    .option('--no-watch', 'print the workflow id and return once started')
    .action(async (workflowId: string, flags: RerunFlags, command: Command) => {
      if (flags.fromFailure && flags.from !== undefined)
        throw new InvalidOptionError('--from', 'give --from-failure or --from <node>, not both');
      const options: RerunOptions = {
        from: flags.from !== undefined ? { node: flags.from } : 'failure',
        runKey: flags.runKey,
      };
      const config = configFor(ctx, command);
      ctx.exitCode = await withClient(config, async (client) => {
        const run = await client.rerun(workflowId, options);
        await announce(client, run, ctx.io, runUrl(config, run.workflowId));
        ctx.io.out(`rerun of ${workflowId}`);
        if (flags.watch === false) return EXIT.ok;
        return followRun(client, run.workflowId, ctx.io);
      });
    });
}
