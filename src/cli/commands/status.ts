/** `pipewright status <id>`: the run's status from the `status` query. */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { configFor, withClient } from '../context';
import { followRun } from '../follow-run';
import { renderStatus } from '../render';
import { unpolledLine } from '../unpolled';

interface StatusOptions {
  readonly json?: boolean;
  readonly watch?: boolean;
}

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description("show a run's status: run state and every node's state, attempts, duration and error")
    .argument('<workflow-id>', 'the run, e.g. fanout-demo--20261122-154501-ab12')
    .option('--json', 'print the raw status query result as JSON')
    .option(
      '--watch',
      'show live progress (each node: state, rows, rows per second) until the run ends, then the summary; ' +
        'redrawn in place on a terminal, plain lines when piped; exit code as for run',
    )
    .action(async (workflowId: string, options: StatusOptions, command: Command) => {
      const config = configFor(ctx, command);
      await withClient(config, async (client) => {
        if (options.watch) {
          ctx.exitCode = await followRun(client, workflowId, ctx.io);
          return;
        }
        const status = await client.status(workflowId);
        ctx.io.out(options.json ? JSON.stringify(status, null, 2) : renderStatus(workflowId, status));
        if (options.json || status.counts.running === 0) return;
        for (const n of await client.unpolledNodes(workflowId).catch(() => [])) ctx.io.err(unpolledLine(n));
      });
    });
}
