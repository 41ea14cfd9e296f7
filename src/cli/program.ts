/** The `pipewright` command line: global options and one subcommand per file under `commands/`. */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { packageRoot } from '../platform/devserver/paths';
import { registerBundle } from './commands/bundle';
import { registerCancel } from './commands/cancel';
import { registerCodecServer } from './commands/codec-server';
import { registerDefinitions } from './commands/definitions';
import { registerDemo } from './commands/demo';
import { registerDev } from './commands/dev';
import { registerGraph } from './commands/graph';
import { registerList } from './commands/list';
import { registerMigrate } from './commands/migrate';
import { registerPause, registerResume } from './commands/pause';
import { registerPublish } from './commands/publish';
import { registerRepair } from './commands/repair';
import { registerRerun } from './commands/rerun';
import { registerRun } from './commands/run';
import { registerSchedule } from './commands/schedule';
import { registerStart } from './commands/start';
import { registerStatus } from './commands/status';
import { registerSweep } from './commands/sweep';
import { registerValidate } from './commands/validate';
import { registerWorker } from './commands/worker';
import type { CliContext } from './context';

const HELP_AFTER = `
Exit codes: 0 success (run completed), 1 run failed or operation failed, 2 invalid input (nothing started),
3 Temporal unreachable, 130 run cancelled or watching interrupted.

Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, PIPEWRIGHT_TASK_QUEUE, PIPEWRIGHT_NODE_MODULES, TEMPORAL_TLS*,
TEMPORAL_API_KEY, PIPEWRIGHT_CODEC_KEYS, PIPEWRIGHT_UI_BASE, PIPEWRIGHT_TEMPORAL_BIN (see docs/cli.md and
docs/security.md).`;

function version(): string {
  try {
    const manifest = path.join(packageRoot(), 'package.json');
    return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function createProgram(ctx: CliContext): Command {
  const program = new Command('pipewright')
    .description('Durable ETL pipelines on Temporal: validate, run and operate pipeline runs.')
    .version(version())
    .option('--address <host:port>', 'Temporal frontend (overrides TEMPORAL_ADDRESS; default 127.0.0.1:7233)')
    .option('--namespace <namespace>', 'Temporal namespace (overrides TEMPORAL_NAMESPACE; default "default")')
    .option(
      '--task-queue <name>',
      'task queue of runs and workers (overrides PIPEWRIGHT_TASK_QUEUE; default "pipewright")',
    )
    .option(
      '--node-modules <paths>',
      'comma-separated modules exporting your node types (overrides PIPEWRIGHT_NODE_MODULES)',
    )
    .addHelpText('after', HELP_AFTER)
    .showHelpAfterError('(pipewright help <command> shows its usage)')
    // Settings below are inherited by the subcommands added after them.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.out(s.trimEnd()),
      writeErr: (s) => ctx.io.err(s.trimEnd()),
    });
  for (const register of [
    registerValidate,
    registerRun,
    registerStart,
    registerStatus,
    registerGraph,
    registerPause,
    registerResume,
    registerCancel,
    registerRepair,
    registerRerun,
    registerList,
    registerSchedule,
    registerWorker,
    registerDev,
    registerDemo,
    registerMigrate,
    registerSweep,
    registerBundle,
    registerCodecServer,
    registerPublish,
    registerDefinitions,
  ])
    register(program, ctx);
  return program;
}
