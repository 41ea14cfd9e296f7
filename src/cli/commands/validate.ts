/** `pipewright validate <file>`: every problem with its path; exit 2 if any. */
import type { Command } from 'commander';
import { InvalidDefinitionError } from '../../model/errors';
import type { CliContext } from '../context';
import { configFor } from '../context';
import { readDefinition } from '../definition';
import { EXIT } from '../exit-codes';

interface ValidateOptions {
  readonly json?: boolean;
}

export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check a pipeline definition and list every problem with its path; starts nothing')
    .argument('<file>', 'pipeline definition (.yaml, .yml or .json)')
    .option('--json', 'print {"ok": true|false, "problems": [{"path", "message"}]}')
    .action((file: string, options: ValidateOptions, command: Command) => {
      const config = configFor(ctx, command);
      try {
        const { valid } = readDefinition(file, config.nodeModules);
        const n = valid.nodes.length;
        if (options.json) ctx.io.out(JSON.stringify({ ok: true, problems: [] }));
        else ctx.io.out(`${file}: ${valid.name}@${valid.version} is valid (${n} node${n === 1 ? '' : 's'})`);
      } catch (err) {
        if (!(err instanceof InvalidDefinitionError)) throw err;
        // The problems are this command's result: stdout, then the non-zero exit.
        ctx.io.out(options.json ? JSON.stringify({ ok: false, problems: err.problems }) : err.message);
        ctx.exitCode = EXIT.invalidInput;
      }
    });
}
