/**
 * `pipewright sweep`: drops the staging tables of runs that have ended or no longer exist, and deletes the ledger
 * and rejects of ended runs past PIPEWRIGHT_LEDGER_RETENTION / PIPEWRIGHT_REJECTS_RETENTION (workers also do this
 * every PIPEWRIGHT_STAGING_SWEEP_INTERVAL). A run Temporal cannot answer for counts as open and is kept.
 */
import type { Command } from 'commander';
import { formatRetention, parseDuration } from '../../model/duration';
import { createDataServices } from '../../data/services';
import { runLiveness } from '../../data/run-liveness';
import { sweepStaging } from '../../data/tables/staging';
import { sweepRetention } from '../../data/retention';
import { redactUrl } from '../../platform/db/redact';
import { pgSslOptions } from '../../platform/security/pg-ssl';
import { InvalidOptionError } from '../../client/errors';
import type { CliContext } from '../context';
import { configFor, withClient } from '../context';

interface SweepCliOptions {
  readonly minAge: string;
  readonly dryRun?: boolean;
}

export function registerSweep(program: Command, ctx: CliContext): void {
  program
    .command('sweep')
    .description(
      'drop the staging tables of runs that have ended or no longer exist; delete ledger and rejects past retention',
    )
    .option('--min-age <duration>', 'leave staging younger than this alone (a run that is starting)', '1m')
    .option('--dry-run', 'list what would be dropped, drop nothing')
    .action(async (options: SweepCliOptions, command: Command) => {
      const minAgeMs = parseDuration(options.minAge);
      if (minAgeMs === undefined)
        throw new InvalidOptionError('--min-age', `"${options.minAge}" is not a duration such as 30s, 10m or 1h`);
      const config = configFor(ctx, command);
      const data = createDataServices({
        url: config.db.url,
        projectSchema: config.db.projectSchema,
        stagingSchema: config.db.stagingSchema,
        poolMax: 2,
        ssl: pgSslOptions(config.pgSsl),
      });
      try {
        const pool = data.pool();
        await data.ready(pool);
        await withClient(config, async (client) => {
          const result = await sweepStaging(pool, config.db.projectSchema, {
            isRunOpen: runLiveness(client.temporal),
            minAgeMs,
            dryRun: options.dryRun,
          });
          const verb = options.dryRun ? 'would drop' : 'dropped';
          for (const run of result.runs) ctx.io.out(`${verb} staging of ${run.workflowId} (run ${run.runId})`);
          ctx.io.out(
            `${redactUrl(config.db.url)}: ${verb} ${result.dropped} staging tables of ${result.runs.length} ended runs; ` +
              `kept ${result.kept} open runs`,
          );
          const { ledger, rejects, plans } = await sweepRetention(pool, config.db.projectSchema, {
            ledgerRetentionMs: config.db.ledgerRetentionMs,
            rejectsRetentionMs: config.db.rejectsRetentionMs,
            isRunOpen: runLiveness(client.temporal),
            dryRun: options.dryRun,
          });
          const del = options.dryRun ? 'would delete' : 'deleted';
          ctx.io.out(
            `retention: ${del} ${ledger.rows} ledger rows of ${ledger.runs} ended runs ` +
              `(${formatRetention(config.db.ledgerRetentionMs)}), ${rejects.rows} rejects of ${rejects.runs} ended runs ` +
              `(${formatRetention(config.db.rejectsRetentionMs)})` +
              (plans.rows > 0 ? `, ${plans.rows} partition plan rows of ${plans.runs} ended runs` : '') +
              `; kept ${ledger.kept + rejects.kept + plans.kept} open runs' rows`,
          );
        });
      } finally {
        await data.close();
      }
    });
}
