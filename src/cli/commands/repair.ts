/**
 * `pipewright retry <id> <node>`, `pipewright skip <id> <node>` and `pipewright fail <id>`: an operator repairs a
 * held run (`onFailure: hold`) through the workflow's updates, each printing the status once it took effect.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { RunStatus } from '../../model/state';
import type { CliContext } from '../context';
import { configFor, withClient } from '../context';
import { renderCounts } from '../render';

const summary = (status: RunStatus): string => `${status.state}; ${renderCounts(status)}`;

const parseParams = (value: string): Record<string, unknown> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new InvalidArgumentError(`not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidArgumentError('expected a JSON object of params, such as {"table": "public.orders"}');
  return parsed as Record<string, unknown>;
};

const parseAs = (value: string): 'skipped' | 'succeeded' => {
  if (value !== 'skipped' && value !== 'succeeded') throw new InvalidArgumentError('use skipped or succeeded');
  return value;
};

export function registerRepair(program: Command, ctx: CliContext): void {
  program
    .command('retry')
    .description('run a held node again, as a new execution (attempts start over)')
    .argument('<workflow-id>', 'the run')
    .argument('<node>', 'the held node')
    .option(
      '--params-json <json>',
      'params to run it with instead of the definition’s (checked by its type)',
      parseParams,
    )
    .option('--json', 'print the status as JSON')
    .action(
      async (
        workflowId: string,
        node: string,
        flags: { paramsJson?: Record<string, unknown>; json?: boolean },
        command: Command,
      ) => {
        await withClient(configFor(ctx, command), async (client) => {
          const status = await client.retryNode(workflowId, node, { params: flags.paramsJson });
          ctx.io.out(
            flags.json ? JSON.stringify(status, null, 2) : `retrying ${node} in ${workflowId}: ${summary(status)}`,
          );
        });
      },
    );

  program
    .command('skip')
    .description('end a held node: skipped (its dependents are skipped) or succeeded (they run, on an empty output)')
    .argument('<workflow-id>', 'the run')
    .argument('<node>', 'the held node')
    .option('--as <state>', 'skipped (default) or succeeded', parseAs)
    .option('--json', 'print the status as JSON')
    .action(
      async (
        workflowId: string,
        node: string,
        flags: { as?: 'skipped' | 'succeeded'; json?: boolean },
        command: Command,
      ) => {
        await withClient(configFor(ctx, command), async (client) => {
          const status = await client.skipNode(workflowId, node, flags.as ?? 'skipped');
          ctx.io.out(
            flags.json
              ? JSON.stringify(status, null, 2)
              : `${node} ${flags.as ?? 'skipped'} in ${workflowId}: ${summary(status)}`,
          );
        });
      },
    );

  program
    .command('fail')
    .description('end a run as failed: held nodes fail, running nodes are cancelled')
    .argument('<workflow-id>', 'the run')
    .option('--json', 'print the final status as JSON')
    .action(async (workflowId: string, flags: { json?: boolean }, command: Command) => {
      await withClient(configFor(ctx, command), async (client) => {
        const status = await client.failRun(workflowId);
        ctx.io.out(flags.json ? JSON.stringify(status, null, 2) : `failed ${workflowId}: ${summary(status)}`);
      });
    });
}
