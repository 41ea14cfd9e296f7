/**
 * `pipewright list`: runs through a visibility query, on the `PipelineName` and `PipelineState` search attributes
 * where the namespace has them (see `client/visibility.ts`).
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { ListState } from '../../client/visibility';
import { LIST_STATES, isListState } from '../../client/visibility';
import type { CliContext } from '../context';
import { configFor, withClient } from '../context';
import { parsePositiveInt } from '../options';
import { renderRunList } from '../render';

interface ListOptions {
  readonly pipeline?: string;
  readonly state?: ListState;
  readonly schedule?: string;
  readonly limit?: number;
  readonly json?: boolean;
}

const parseState = (value: string): ListState => {
  if (!isListState(value)) throw new InvalidArgumentError(`use one of ${LIST_STATES.join(', ')}`);
  return value;
};

export function registerList(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .description('list runs, newest first')
    .option('--pipeline <name>', 'only runs of this pipeline')
    .option('--state <state>', `only runs in this state: ${LIST_STATES.join(', ')}`, parseState)
    .option('--schedule <id>', 'only runs this schedule started')
    .option('--limit <n>', 'at most this many runs (default 20)', parsePositiveInt)
    .option('--json', 'print the runs as JSON')
    .action(async (options: ListOptions, command: Command) => {
      await withClient(configFor(ctx, command), async (client) => {
        const runs = await client.list({
          pipeline: options.pipeline,
          state: options.state,
          schedule: options.schedule,
          limit: options.limit,
        });
        ctx.io.out(options.json ? JSON.stringify(runs, null, 2) : renderRunList(runs));
      });
    });
}
