/**
 * `pipewright demo` (what `make demo` runs): with TEMPORAL_ADDRESS unset it starts a local Temporal server with the Web UI;
 * it runs a worker in this process, runs the fan-out example with progress lines, prints the outcome and the
 * run's Web UI address, then stops the worker and the server.
 */
import type { Command } from 'commander';
import { PipewrightClient } from '../../client/client';
import type { Config } from '../../platform/config/config';
import type { DevServer } from '../../platform/devserver/dev-server';
import { startDevServer } from '../../platform/devserver/dev-server';
import { resolveProjectPath } from '../../platform/devserver/paths';
import type { CliContext } from '../context';
import { configFor, runUrl, withAddress } from '../context';
import { readDefinition } from '../definition';
import { EXIT } from '../exit-codes';
import { followRun } from '../follow-run';
import { withInProcessWorker } from '../in-process-worker';
import { onInterrupt, untilInterrupted } from '../interrupt';
import { parsePort } from '../options';

export const DEMO_PIPELINE = 'examples/fanout.yaml';

interface DemoOptions {
  readonly runKey?: string;
  readonly keep?: boolean;
  readonly port?: number;
  readonly uiPort?: number;
}

export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('a local Temporal server + Web UI, a worker in this process, and the fan-out example')
    .argument('[file]', 'pipeline to run', DEMO_PIPELINE)
    .option('--run-key <key>', 'run key of the demo run (default: a UTC timestamp)')
    .option('--keep', 'keep the server and the worker running after the run, until Ctrl-C, to browse the Web UI')
    .option('--port <port>', 'frontend port of the local server (default: a free port)', parsePort)
    .option('--ui-port <port>', 'Web UI port of the local server (default: a free port)', parsePort)
    .action(async (file: string, options: DemoOptions, command: Command) => {
      ctx.exitCode = await demo(ctx, configFor(ctx, command), file, options);
    });
}

async function demo(ctx: CliContext, base: Config, file: string, options: DemoOptions): Promise<number> {
  const { io } = ctx;
  const path = file === DEMO_PIPELINE ? resolveProjectPath(file) : file;
  const { definition, valid, nodeTypes } = readDefinition(path, base.nodeModules);
  io.out(`pipewright demo: ${file} (${valid.name}@${valid.version}, ${valid.nodes.length} nodes)`);

  let server: DevServer | undefined;
  let config = base;
  let watching = false;
  const stopServer = async (): Promise<void> => {
    await server?.stop();
  };
  const dispose = onInterrupt(stopServer, () => !watching);
  try {
    if (base.temporalAddressSet) {
      io.out(`using the Temporal server at ${base.temporal.address} (TEMPORAL_ADDRESS)`);
    } else {
      io.out(`starting a local Temporal server with the Web UI (${base.temporalBin}) ...`);
      server = await startDevServer({ bin: base.temporalBin, port: options.port, uiPort: options.uiPort });
      config = withAddress(base, server.address);
      io.out(`Temporal server at ${server.address}, Web UI at ${server.uiUrl ?? '(none)'}`);
    }
    io.out(`starting a worker in this process on task queue "${config.temporal.taskQueue}" ...`);
    return await withInProcessWorker(config, nodeTypes, async () => {
      const client = await PipewrightClient.connect(config, { nodeTypes });
      try {
        const run = await client.start(definition, { runKey: options.runKey });
        const url = server?.runUrl(run.workflowId) ?? runUrl(config, run.workflowId);
        io.out(run.existing ? `found the existing run ${run.workflowId}` : `started ${run.workflowId}`);
        watching = true;
        const code = await followRun(client, run.workflowId, io);
        watching = false;
        io.out('');
        if (url) io.out(`The run in the Temporal Web UI: ${url}`);
        else io.out('Set PIPEWRIGHT_UI_BASE (e.g. http://127.0.0.1:8233) to print the Web UI address of the run.');
        if (options.keep && code !== EXIT.cancelled) {
          io.out('The server and the worker keep running; press Ctrl-C to stop them.');
          dispose();
          await untilInterrupted();
        } else if (server) {
          io.out('(the local server stops with the demo: `pipewright demo --keep` keeps it running to browse the run)');
        }
        return code;
      } finally {
        await client.close();
      }
    });
  } finally {
    dispose();
    await stopServer();
    io.out(server ? 'worker and Temporal server stopped' : 'worker stopped');
  }
}
