/**
 * What a load benchmark starts before its worker processes (bench:load, bench:partitions, bench:geo): the workflow
 * bundle, built ahead of time as a deployed worker has it (not bundled at start), a headless Temporal dev server and
 * a client of it. Their stops are pushed onto `cleanups`.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../../src/platform/devserver';
import { writeWorkflowBundle } from '../../worker/workflow-bundle';

const TEMPORAL_BIN = path.resolve(__dirname, '..', '..', '.tools', 'bin', 'temporal');

export async function startBenchTemporal(
  dir: string,
  cleanups: Array<() => Promise<unknown>>,
): Promise<{ address: string; client: Client; bundle: string }> {
  const bundle = path.join(dir, 'workflow-bundle.js');
  await writeWorkflowBundle({ outPath: bundle });
  const server = await startDevServer({ bin: TEMPORAL_BIN, headless: true, ip: '127.0.0.1' });
  cleanups.push(() => server.stop(5_000));
  const connection = await Connection.connect({ address: server.address });
  cleanups.push(() => connection.close());
  return { address: server.address, client: new Client({ connection }), bundle };
}
