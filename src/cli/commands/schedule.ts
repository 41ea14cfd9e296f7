/**
 * `pipewright schedule create|list|describe|pause|unpause|trigger|update|delete`: pipeline schedules on Temporal
 * Schedules (see `client/schedules.ts`). Everything is validated before a schedule is created or changed.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { ScheduleCreateOptions, ScheduleUpdateOptions } from '../../client/schedules';
import { ScheduleExistsError, ScheduleMissingError } from '../../client/schedules';
import { looksLikeRef } from '../../model/definition-ref';
import { OVERLAP_POLICIES, pickTiming, type OverlapPolicy } from '../../model/schedule/timing';
import type { CliContext } from '../context';
import { configFor, withClient } from '../context';
import { readRunTarget } from '../definition';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { collectParam, parsePositiveInt } from '../options';
import { renderBackfill, renderSchedule, renderScheduleList } from '../render-schedule';

interface TimingFlags {
  readonly cron?: string;
  readonly every?: string;
  readonly offset?: string;
  readonly timezone?: string;
  readonly overlap?: OverlapPolicy;
  readonly catchupWindow?: string;
  readonly jitter?: string;
  readonly param?: Record<string, string>;
  readonly parallelism?: number;
}

interface CreateFlags extends TimingFlags {
  readonly id: string;
  readonly paused?: boolean;
  readonly note?: string;
}

const parseOverlap = (value: string): OverlapPolicy => {
  if (!(OVERLAP_POLICIES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`use one of ${OVERLAP_POLICIES.join(', ')}`);
  return value as OverlapPolicy;
};

function timingOptions(command: Command): Command {
  return command
    .option('--cron <expression>', 'five cron fields: minute hour day-of-month month day-of-week (or @daily, ...)')
    .option('--every <interval>', 'fire every interval (30s, 15m, 1h, 1d), counted from the Unix epoch')
    .option('--offset <duration>', 'with --every: shift each fire by this much (--every 1d --offset 2h)')
    .option('--timezone <zone>', 'IANA time zone of the cron expression (default UTC)')
    .option('--overlap <policy>', `when a fire finds a run still running: ${OVERLAP_POLICIES.join(', ')}`, parseOverlap)
    .option('--catchup-window <duration>', 'how late a missed fire may still run (default 1 year)')
    .option('--jitter <duration>', 'delay each fire by a random amount up to this')
    .option('--param <name=value>', "a value for one of the definition's params (repeatable)", collectParam)
    .option('--parallelism <n>', 'most nodes running at once in each run', parsePositiveInt);
}

/** The timing and run options the flags give (only those given). */
function fromFlags(flags: TimingFlags): ScheduleUpdateOptions {
  return {
    ...pickTiming(flags),
    ...(flags.parallelism !== undefined ? { parallelism: flags.parallelism } : {}),
    ...(flags.param !== undefined ? { params: flags.param } : {}),
  };
}

/** What a schedule runs: a file's definition inline, or a published one by reference (`latest` kept as is). */
async function targetOf(
  arg: string,
  ctx: CliContext,
  command: Command,
): Promise<
  Pick<ScheduleCreateOptions, 'definition' | 'ref'> & {
    nodeTypes: Awaited<ReturnType<typeof readRunTarget>>['nodeTypes'];
  }
> {
  const target = await readRunTarget(arg, configFor(ctx, command), ctx.io);
  const byRef = !fs.existsSync(arg) && looksLikeRef(arg);
  return { definition: target.definition, ...(byRef ? { ref: arg } : {}), nodeTypes: target.nodeTypes };
}

const missing = (err: unknown): never => {
  if (err instanceof ScheduleMissingError || err instanceof ScheduleExistsError)
    throw new CliError(err.message, err instanceof ScheduleMissingError ? EXIT.failed : EXIT.invalidInput);
  throw err;
};

export function registerSchedule(program: Command, ctx: CliContext): void {
  const schedule = program
    .command('schedule')
    .description('run pipelines on a schedule (Temporal Schedules): create, list, describe, pause, trigger, ...');

  timingOptions(
    schedule
      .command('create')
      .description('validate and create a schedule; prints its description')
      .argument('<file|name@version>', 'a definition file (runs it inline), or name@version / name@latest')
      .requiredOption('--id <id>', 'the schedule id (letters, digits, _, - and .)'),
  )
    .option('--paused', 'create it paused')
    .option('--note <text>', 'why (shown by describe and in the Web UI)')
    .option('--json', 'print the schedule as JSON')
    .action(async (arg: string, flags: CreateFlags & { json?: boolean }, command: Command) => {
      const target = await targetOf(arg, ctx, command);
      await withClient(
        configFor(ctx, command),
        async (client) => {
          const view = await client.schedules
            .create({
              scheduleId: flags.id,
              ...target,
              ...fromFlags(flags),
              ...(flags.paused ? { paused: true } : {}),
              ...(flags.note !== undefined ? { note: flags.note } : {}),
            })
            .catch(missing);
          ctx.io.out(flags.json ? JSON.stringify(view, null, 2) : renderSchedule(view));
          if (!(await client.hasWorkers()))
            ctx.io.err(`warning: no worker polls task queue "${client.taskQueue}" yet; its runs wait until one does`);
        },
        target.nodeTypes,
      );
    });

  schedule
    .command('list')
    .description('list the pipeline schedules')
    .option('--json', 'print them as JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      await withClient(configFor(ctx, command), async (client) => {
        const items = await client.schedules.list();
        ctx.io.out(flags.json ? JSON.stringify(items, null, 2) : renderScheduleList(items));
      });
    });

  schedule
    .command('describe')
    .description('a schedule: when it fires, its next 5 fires, its latest runs and how they ended, paused or not')
    .argument('<id>', 'the schedule id')
    .option('--json', 'print it as JSON')
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      await withClient(configFor(ctx, command), async (client) => {
        const view = await client.schedules.describe(id).catch(missing);
        ctx.io.out(flags.json ? JSON.stringify(view, null, 2) : renderSchedule(view));
      });
    });

  for (const [name, what] of [
    ['pause', 'stop firing (runs already running go on)'],
    ['unpause', 'fire again'],
  ] as const)
    schedule
      .command(name)
      .description(what)
      .argument('<id>', 'the schedule id')
      .option('--note <text>', 'why (shown by describe and in the Web UI)')
      .action(async (id: string, flags: { note?: string }, command: Command) => {
        await withClient(configFor(ctx, command), async (client) => {
          const view = await client.schedules[name](id, flags.note).catch(missing);
          ctx.io.out(`${id} ${view.paused ? 'paused' : 'active'}${view.note ? `: ${view.note}` : ''}`);
        });
      });

  schedule
    .command('trigger')
    .description('start a run now (its logical date is now), paused or not')
    .argument('<id>', 'the schedule id')
    .option('--overlap <policy>', 'overlap policy for this run (default the schedule’s)', parseOverlap)
    .action(async (id: string, flags: { overlap?: OverlapPolicy }, command: Command) => {
      await withClient(configFor(ctx, command), async (client) => {
        await client.schedules.trigger(id, flags.overlap).catch(missing);
        ctx.io.out(`${id} triggered`);
      });
    });

  timingOptions(
    schedule
      .command('update')
      .description('change a schedule: only the options given change')
      .argument('<id>', 'the schedule id')
      .option('--definition <file|name@version>', 'run this definition instead'),
  )
    .option('--json', 'print the schedule as JSON')
    .action(async (id: string, flags: TimingFlags & { definition?: string; json?: boolean }, command: Command) => {
      const target = flags.definition !== undefined ? await targetOf(flags.definition, ctx, command) : undefined;
      await withClient(
        configFor(ctx, command),
        async (client) => {
          const view = await client.schedules.update(id, { ...fromFlags(flags), ...(target ?? {}) }).catch(missing);
          ctx.io.out(flags.json ? JSON.stringify(view, null, 2) : renderSchedule(view));
        },
        target?.nodeTypes,
      );
    });

  schedule
    .command('backfill')
    .description(
      'run every fire time of the schedule from --from to --to (both included), each with its own logical date',
    )
    .argument('<id>', 'the schedule id')
    .requiredOption('--from <time>', 'the first fire time (YYYY-MM-DD, or ISO 8601)')
    .requiredOption('--to <time>', 'the last fire time (YYYY-MM-DD, or ISO 8601)')
    .option('--overlap <policy>', 'buffer-all (default: one after another) or allow-all (all at once)', parseOverlap)
    .option('--watch', 'show progress until every run of the range has ended; exit 1 if any failed')
    .action(
      async (
        id: string,
        flags: { from: string; to: string; overlap?: OverlapPolicy; watch?: boolean },
        command: Command,
      ) => {
        await withClient(configFor(ctx, command), async (client) => {
          let progress = await client.schedules
            .backfill(id, { from: flags.from, to: flags.to, overlap: flags.overlap })
            .catch(missing);
          ctx.io.out(
            `backfill of ${id}: ${progress.expected} runs, ${progress.from.toISOString()} to ${progress.to.toISOString()}`,
          );
          if (!flags.watch) return;
          let last = '';
          for (;;) {
            const line = renderBackfill(progress);
            if (line !== last) ctx.io.out(line);
            last = line;
            if (progress.done) break;
            await new Promise((r) => setTimeout(r, 1000));
            progress = await client.schedules.backfillProgress(id, flags);
          }
          for (const r of progress.runs.filter((x) => x.state !== 'completed'))
            ctx.io.out(`  ${r.scheduledAt?.toISOString() ?? ''}  ${r.workflowId}  ${r.state}`);
          if (progress.failed + progress.other > 0) ctx.exitCode = EXIT.failed;
        });
      },
    );

  schedule
    .command('delete')
    .description('delete a schedule (its runs stay)')
    .argument('<id>', 'the schedule id')
    .action(async (id: string, _flags: unknown, command: Command) => {
      await withClient(configFor(ctx, command), async (client) => {
        await client.schedules.delete(id).catch(missing);
        ctx.io.out(`${id} deleted`);
      });
    });
}
