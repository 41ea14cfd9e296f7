/** `pipewright migrate`: applies the project's numbered SQL migrations to DATABASE_URL (the worker also does at start). */
import type { Command } from 'commander';
import { migrate } from '../../platform/db/migrate';
import { redactUrl } from '../../platform/db/redact';
import type { CliContext } from '../context';
import { configFor } from '../context';
import { cliPools } from '../pools';

export function registerMigrate(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description(
      "apply pipewright's own table migrations (ledger, rejects, staging, definitions, memoized outputs) to DATABASE_URL",
    )
    .action(async (_options: unknown, command: Command) => {
      const config = configFor(ctx, command);
      const { db } = config;
      const pools = cliPools(config, 1);
      try {
        const result = await migrate(pools.getPool(), { schema: db.projectSchema });
        const applied = result.applied.length > 0 ? `applied ${result.applied.join(', ')}` : 'nothing to apply';
        ctx.io.out(
          `${redactUrl(db.url)} schema ${db.projectSchema}: ${applied} (${result.alreadyApplied} already applied)`,
        );
      } finally {
        await pools.closeAll();
      }
    });
}
