/** `pipewright bundle`: writes the workflow bundle ahead of time, for PIPEWRIGHT_WORKFLOW_BUNDLE (container images). */
import type { Command } from 'commander';
import type { CliContext } from '../context';

interface BundleOptions {
  readonly out: string;
  readonly encryptedFailures?: boolean;
}

export function registerBundle(program: Command, ctx: CliContext): void {
  program
    .command('bundle')
    .description('bundle the workflow code into one file that workers load with PIPEWRIGHT_WORKFLOW_BUNDLE')
    .requiredOption('--out <file>', 'where to write the bundle')
    .option(
      '--encrypted-failures',
      'bundle the failure converter of encrypted deployments (required when workers have PIPEWRIGHT_CODEC_KEYS)',
    )
    .action(async (options: BundleOptions) => {
      // The bundler (webpack) is large: loaded only for this command.
      const { writeWorkflowBundle } = await import('../../../worker/workflow-bundle');
      const bytes = await writeWorkflowBundle({ outPath: options.out, encryptedFailures: options.encryptedFailures });
      ctx.io.out(
        `wrote ${options.out} (${(bytes / 1024).toFixed(0)} KiB${options.encryptedFailures ? ', encrypted failures' : ''})`,
      );
    });
}
