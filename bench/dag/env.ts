/**
 * The bench's own world: a headless Temporal dev server on a free 127.0.0.1 port, one in-process pipewright worker
 * whose bundle also holds the hand-written baseline, and a client. `close()` stops all of it, each step bounded.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { DevServer } from '../../src/platform/devserver';
import { startDevServer } from '../../src/platform/devserver';
import { createPipewrightWorker } from '../../worker/create-worker';
import { withTimeout } from './timeout';

/** What the benchmarks run against. */
export interface BenchEnv {
  readonly server: DevServer;
  readonly client: Client;
  readonly taskQueue: string;
  readonly worker: Worker;
  close(): Promise<void>;
}

const quiet = { trace() {}, debug() {}, info() {}, log() {}, warn: console.warn, error: console.error };

/** Starts server, bundle and worker; on any failure stops what already started. */
export async function startBenchEnv(
  temporalBin: string,
  {
    maxConcurrentActivities,
    logLevel = 'WARN',
  }: { maxConcurrentActivities?: number; logLevel?: 'WARN' | 'ERROR' } = {},
): Promise<BenchEnv> {
  Runtime.install({ logger: new DefaultLogger(logLevel) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-bench-dag-'));
  const cleanups: Array<() => Promise<void>> = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  const close = async (): Promise<void> => {
    for (const step of cleanups.splice(0).reverse())
      await withTimeout(step(), 15_000, 'shutdown step').catch(console.error);
  };
  try {
    // startDevServer registers the PipelineName and PipelineState search attributes, as on every server we start.
    const server = await startDevServer({ bin: temporalBin, headless: true, ip: '127.0.0.1', readyTimeoutMs: 30_000 });
    cleanups.push(() => server.stop(5_000));
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: quiet });
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, code);

    const native = await NativeConnection.connect({ address: server.address });
    cleanups.push(() => native.close());
    const connection = await Connection.connect({ address: server.address, connectTimeout: 5_000 });
    cleanups.push(() => connection.close());
    const taskQueue = `bench-dag-${randomUUID().slice(0, 8)}`;
    // createPipewrightWorker takes a prebuilt bundle, so the baseline rides along without touching worker/.
    const worker = await createPipewrightWorker({
      connection: native,
      taskQueue,
      workflowBundlePath: bundlePath,
      shutdownGraceMs: 2_000,
      ...(maxConcurrentActivities !== undefined ? { maxConcurrentActivities } : {}),
    });
    const running = worker.run();
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    return { server, client: new Client({ connection, namespace: server.namespace }), taskQueue, worker, close };
  } catch (err) {
    await close();
    throw err;
  }
}
