/** `pipewright dev`: a local Temporal dev server (with the Web UI) and a worker in this process; Ctrl-C stops both. */
import type { Command } from 'commander';
import { startDevServer } from '../../platform/devserver/dev-server';
import type { CliContext } from '../context';
import { configFor, withAddress } from '../context';
import { onInterrupt } from '../interrupt';
import { parsePort } from '../options';

interface DevOptions {
  readonly port: number;
  readonly uiPort?: number;
  readonly dbFile?: string;
  readonly headless?: boolean;
}

export function registerDev(program: Command, ctx: CliContext): void {
  program
    .command('dev')
    .description(
      'start a local Temporal dev server (.tools/bin/temporal, with the Web UI) and a worker; Ctrl-C stops both',
    )
    .option('--port <port>', 'frontend gRPC port', parsePort, 7233)
    .option('--ui-port <port>', 'Web UI port (default: --port + 1000)', parsePort)
    .option('--db-file <file>', 'keep runs in this SQLite file across restarts (default: in memory)')
    .option('--headless', 'no Web UI')
    .action(async (options: DevOptions, command: Command) => {
      // The worker's INFO lines (bundling, state changes) drown the useful ones here; PIPEWRIGHT_LOG_LEVEL still wins.
      const config = configFor(ctx, command, { PIPEWRIGHT_LOG_LEVEL: ctx.env.PIPEWRIGHT_LOG_LEVEL ?? 'WARN' });
      ctx.io.out(`starting the Temporal dev server on 127.0.0.1:${options.port} ...`);
      const server = await startDevServer({
        bin: config.temporalBin,
        port: options.port,
        uiPort: options.headless ? undefined : (options.uiPort ?? options.port + 1_000),
        headless: options.headless,
        dbFile: options.dbFile,
        namespace: config.temporal.namespace,
      });
      let starting = true;
      const dispose = onInterrupt(
        () => server.stop(),
        () => starting,
      );
      try {
        ctx.io.out(`Temporal dev server at ${server.address} (namespace ${server.namespace})`);
        if (server.uiUrl) ctx.io.out(`Web UI: ${server.uiUrl}`);
        ctx.io.out(`in another terminal: TEMPORAL_ADDRESS=${server.address} pipewright run examples/fanout.yaml`);
        const { runWorker } = await import('../../../worker/run-worker');
        // From here the worker's runtime handles Ctrl-C: it drains, runWorker returns, then the server stops.
        starting = false;
        dispose();
        await runWorker(withAddress(config, server.address), (line) => ctx.io.out(line));
      } finally {
        dispose();
        await server.stop();
        ctx.io.out('Temporal dev server stopped');
      }
    });
}
