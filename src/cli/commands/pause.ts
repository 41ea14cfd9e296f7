/** `pipewright pause <id> [--immediate]` and `pipewright resume <id>`, through the `setPaused` update. */
import type { Command } from 'commander';
import type { RunStatus } from '../../model/state';
import type { CliContext } from '../context';
import { configFor, withClient } from '../context';
import { renderCounts } from '../render';

interface PauseOptions {
  readonly immediate?: boolean;
  readonly json?: boolean;
}

const describeState = (status: RunStatus): string =>
  `${status.state}${status.paused ? ` (${status.pauseMode ?? 'drain'})` : ''}; ${renderCounts(status)}`;

export function registerPause(program: Command, ctx: CliContext): void {
  program
    .command('pause')
    .description('pause a run: no node starts; running nodes finish (drain) or are cancelled (--immediate)')
    .argument('<workflow-id>', 'the run')
    .option('--immediate', 'also cancel running nodes; they run again, from their checkpoint, on resume')
    .option('--json', 'print the status returned by the update as JSON')
    .action(async (workflowId: string, options: PauseOptions, command: Command) => {
      await withClient(configFor(ctx, command), async (client) => {
        const status = await client.pause(workflowId, { mode: options.immediate ? 'immediate' : 'drain' });
        ctx.io.out(options.json ? JSON.stringify(status, null, 2) : `paused ${workflowId}: ${describeState(status)}`);
      });
    });
}

export function registerResume(program: Command, ctx: CliContext): void {
  program
    .command('resume')
    .description('resume a paused run')
    .argument('<workflow-id>', 'the run')
    .option('--json', 'print the status returned by the update as JSON')
    .action(async (workflowId: string, options: { json?: boolean }, command: Command) => {
      await withClient(configFor(ctx, command), async (client) => {
        const status = await client.resume(workflowId);
        ctx.io.out(options.json ? JSON.stringify(status, null, 2) : `resumed ${workflowId}: ${describeState(status)}`);
      });
    });
}
