/** `pipewright definitions [name]`: the published definitions, newest version first. */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { configFor } from '../context';
import { withRegistry } from '../with-registry';
import { dateTime } from '../clock';
import { renderTable } from '../table';

export function registerDefinitions(program: Command, ctx: CliContext): void {
  program
    .command('definitions')
    .description('list published definitions (every name, or the versions of one), newest first')
    .argument('[name]', 'only the versions of this pipeline')
    .option('--json', 'print them as JSON')
    .action(async (name: string | undefined, options: { json?: boolean }, command: Command) => {
      const config = configFor(ctx, command);
      const rows = await withRegistry(config, ctx.io, {}, (registry) => registry.list(name));
      if (options.json) return ctx.io.out(JSON.stringify(rows, null, 2));
      if (rows.length === 0) return ctx.io.out('no published definitions');
      ctx.io.out(
        renderTable(
          ['reference', 'latest', 'published', 'checksum'],
          rows.map((r) => [
            `${r.name}@${r.version}`,
            r.latest ? 'latest' : '',
            dateTime(r.published_at),
            r.checksum.slice(0, 12),
          ]),
        ),
      );
    });
}
