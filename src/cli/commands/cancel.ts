/** `pipewright cancel <id>`: Temporal cancellation of the run. */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { configFor, withClient } from '../context';
import { exitCodeFor } from '../follow-run';
import { renderOutcome } from '../render';

export function registerCancel(program: Command, ctx: CliContext): void {
  program
    .command('cancel')
    .description('cancel a run: running nodes are cancelled and the run closes as cancelled')
    .argument('<workflow-id>', 'the run')
    .option('--wait', 'wait until the run has closed and show the summary')
    .action(async (workflowId: string, options: { wait?: boolean }, command: Command) => {
      await withClient(configFor(ctx, command), async (client) => {
        await client.cancel(workflowId);
        ctx.io.out(`cancellation requested for ${workflowId}`);
        if (!options.wait) return;
        const outcome = await client.result(workflowId);
        ctx.io.out(renderOutcome(outcome));
        // Cancelled is what was asked for here: success. A run that closed otherwise first says so.
        ctx.exitCode = outcome.outcome === 'cancelled' ? 0 : exitCodeFor(outcome.outcome);
      });
    });
}
