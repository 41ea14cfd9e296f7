/** `pipewright validate <file>`: every problem with its path; exit 2 if any. */
import type { Command } from 'commander';
import { InvalidDefinitionError } from '../../model/errors';
import type { CliContext } from '../context';
import { configFor, withClient } from '../context';
import type { Config } from '../../platform/config/config';
import { resolveNodeOptions } from '../../model/options';
import type { PipelineDefinition } from '../../model/schema';
import { readDefinition } from '../definition';
import { EXIT } from '../exit-codes';
import { explainCsvSources, renderCsvExplanations } from '../explain-csv';

interface ValidateOptions {
  readonly json?: boolean;
  readonly checkWorkers?: boolean;
  readonly explain?: boolean;
}

/** Warns, on stderr, about each task queue the definition needs that no worker polls. */
async function checkWorkers(ctx: CliContext, config: Config, valid: PipelineDefinition): Promise<void> {
  const main = config.temporal.taskQueue;
  const byQueue = new Map<string, string[]>();
  for (const n of valid.nodes) {
    const queue = resolveNodeOptions(n, valid.defaults).taskQueue ?? main;
    byQueue.set(queue, [...(byQueue.get(queue) ?? []), n.id]);
  }
  await withClient(config, async (client) => {
    if (!(await client.hasWorkers(main)))
      ctx.io.err(`warning: no worker polls task queue "${main}" for runs yet; start one with \`pipewright worker\``);
    for (const [queue, nodes] of byQueue)
      if (!(await client.hasActivityWorkers(queue)))
        ctx.io.err(
          `warning: no worker polls task queue "${queue}" for nodes ${nodes.join(', ')}; start one with ` +
            (queue === main ? '`pipewright worker`' : `PIPEWRIGHT_TASK_QUEUES=${queue} pipewright worker`),
        );
  });
}

export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check a pipeline definition and list every problem with its path; starts nothing')
    .argument('<file>', 'pipeline definition (.yaml, .yml or .json)')
    .option('--json', 'print {"ok": true|false, "problems": [{"path", "message"}]}')
    .option('--check-workers', "also warn about task queues (the run's, and the nodes') that no worker polls")
    .option(
      '--explain',
      'also show the columns each source.csv node makes of its header, when the file is readable here',
    )
    .action(async (file: string, options: ValidateOptions, command: Command) => {
      const config = configFor(ctx, command);
      try {
        const { valid } = readDefinition(file, config.nodeModules);
        const n = valid.nodes.length;
        const explained = options.explain ? await explainCsvSources(valid) : undefined;
        if (options.json)
          ctx.io.out(JSON.stringify({ ok: true, problems: [], ...(explained ? { explain: explained } : {}) }));
        else {
          ctx.io.out(`${file}: ${valid.name}@${valid.version} is valid (${n} node${n === 1 ? '' : 's'})`);
          for (const line of renderCsvExplanations(explained ?? [])) ctx.io.out(line);
        }
        if (options.checkWorkers) await checkWorkers(ctx, config, valid);
      } catch (err) {
        if (!(err instanceof InvalidDefinitionError)) throw err;
        // The problems are this command's result: stdout, then the non-zero exit.
        ctx.io.out(options.json ? JSON.stringify({ ok: false, problems: err.problems }) : err.message);
        ctx.exitCode = EXIT.invalidInput;
      }
    });
}
