/** `pipewright publish <file>`: validates a definition and publishes it to the registry as `name@version`. */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { configFor } from '../context';
import { readDefinition } from '../definition';
import { withRegistry } from '../with-registry';
import { NodeTypes } from '../../nodes/node-types';

export function registerPublish(program: Command, ctx: CliContext): void {
  program
    .command('publish')
    .description(
      'validate a definition and publish it as name@version, so runs can start by reference (start name@version)',
    )
    .argument('<file>', 'pipeline definition (.yaml, .yml or .json)')
    .action(async (file: string, _options: unknown, command: Command) => {
      const config = configFor(ctx, command);
      const { definition, nodeTypes } = readDefinition(file, config.nodeModules);
      const result = await withRegistry(config, ctx.io, { migrate: true, broadcast: true }, (registry) =>
        registry.publish(definition, { catalog: new NodeTypes(nodeTypes).catalog() }),
      );
      ctx.io.out(
        result.status === 'published'
          ? `published ${result.ref}`
          : `${result.ref} is already published with the same content; nothing changed`,
      );
    });
}
