/** A pipewright worker inside the CLI process, for `demo`: started, used, shut down. */
import { TemporalUnreachableError } from '../client/errors';
import { reasonOf } from '../client/temporal-errors';
import type { NativeConnection } from '@temporalio/worker';
import type { Config } from '../platform/config/config';
import { temporalConnectionOptions } from '../platform/config/temporal-connection';
import type { NodeType } from '../nodes/node-type';

/**
 * Runs a worker on the configured task queue while `fn` runs, then shuts it down gracefully. The worker package
 * is loaded here, not at CLI start-up: it is large and most commands do not need it.
 */
export async function withInProcessWorker<T>(
  config: Config,
  nodeTypes: readonly NodeType<never>[],
  fn: () => Promise<T>,
): Promise<T> {
  const { DefaultLogger, NativeConnection, Runtime } = await import('@temporalio/worker');
  const { createPipewrightWorker } = await import('../../worker/create-worker');
  const { encryptionDataConverter } = await import('../platform/codec/data-converter');
  try {
    // Quiet (a retried node is progress, not a warning, here), and no signal handling of its own: the CLI
    // decides what Ctrl-C means.
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  } catch {
    // Already installed in this process (a second worker); keep it.
  }
  const connectionOptions = temporalConnectionOptions(config.temporal);
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(connectionOptions);
  } catch (err) {
    throw new TemporalUnreachableError(config.temporal.address, reasonOf(err));
  }
  try {
    const worker = await createPipewrightWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      nodeTypes,
      shutdownGraceMs: 5_000,
      heartbeatThrottleMs: config.heartbeatThrottleMs,
      activitySlots: config.activitySlots,
      dataConverter: encryptionDataConverter(config.codecKeys),
    });
    return await worker.runUntil(fn);
  } finally {
    await connection.close();
  }
}
