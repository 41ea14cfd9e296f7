/**
 * Per-test-file access to the shared real Temporal server: a client, and a worker on a task queue of its own.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { encryptionDataConverter } from '../../src/platform/codec/data-converter';
import type { KeyRing } from '../../src/platform/codec/key-ring';
import type { DataServices } from '../../src/data/services';
import type { NodeType } from '../../src/nodes/node-type';
import { createPipewrightWorker, type CreateWorkerOptions } from '../../worker/create-worker';
import { WORKFLOW_BUNDLE } from './paths';

let runtimeInstalled = false;

export interface TemporalHarness {
  readonly address: string;
  readonly client: Client;
  readonly nativeConnection: NativeConnection;
  readonly taskQueue: string;
  startWorker(
    nodeTypes?: readonly NodeType<never>[],
    options?: { data?: DataServices; notify?: CreateWorkerOptions['notify'] },
  ): Promise<Worker>;
  close(): Promise<void>;
}

export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export interface HarnessOptions {
  /**
   * Encrypt payloads with these keys in the client and the workers, as a deployment with PIPEWRIGHT_CODEC_KEYS
   * does. The workers then bundle their workflows themselves (with encrypted failures), which takes a few seconds.
   */
  readonly codecKeys?: KeyRing;
}

export async function connectHarness(name: string, harnessOptions: HarnessOptions = {}): Promise<TemporalHarness> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const address = process.env.PIPEWRIGHT_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('PIPEWRIGHT_TEST_TEMPORAL_ADDRESS unset: run the tests through jest (global setup)');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const dataConverter = encryptionDataConverter(harnessOptions.codecKeys);
  const client = new Client({ connection, dataConverter });
  const taskQueue = uniqueId(`tq-${name}`);
  const workers: Array<{ worker: Worker; done: Promise<void> }> = [];
  return {
    address,
    client,
    nativeConnection,
    taskQueue,
    async startWorker(nodeTypes = [], options = {}) {
      const worker = await createPipewrightWorker({
        connection: nativeConnection,
        taskQueue,
        nodeTypes,
        // The shared bundle has no encrypted failures; an encrypting worker bundles its own.
        workflowBundlePath: dataConverter ? undefined : WORKFLOW_BUNDLE,
        dataConverter,
        shutdownGraceMs: 2_000,
        ...(options.data ? { data: options.data } : {}),
        ...(options.notify ? { notify: options.notify } : {}),
      });
      workers.push({ worker, done: worker.run() });
      return worker;
    },
    async close() {
      for (const w of workers) if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
      await Promise.all(workers.map((w) => w.done));
      await connection.close();
      await nativeConnection.close();
    },
  };
}
