/**
 * Runs a worker from configuration until SIGINT or SIGTERM, then shuts down gracefully: stop polling, let
 * running activities finish or heartbeat their cancellation within the grace time, exit.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Config } from '../src/config/config';
import { temporalConnectionOptions } from '../src/config/temporal-connection';
import { loadNodeModules } from '../src/nodes/load-modules';
import { createPipewrightWorker } from './create-worker';

export async function runWorker(config: Config, log: (line: string) => void = console.log): Promise<void> {
  Runtime.install({ logger: new DefaultLogger(config.logLevel) });
  const nodeTypes = loadNodeModules(config.nodeModules);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  try {
    const worker = await createPipewrightWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      nodeTypes,
      maxConcurrentActivities: config.maxConcurrentActivities,
      shutdownGraceMs: config.shutdownGraceMs,
      heartbeatThrottleMs: config.heartbeatThrottleMs,
    });
    log(
      `pipewright worker polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address} ` +
        `(namespace ${config.temporal.namespace}); node types: ${['noop', 'sleep', 'fail', ...nodeTypes.map((t) => t.name)].join(', ')}`,
    );
    // The runtime's default shutdown signals (SIGINT, SIGTERM, ...) make run() resolve after a graceful drain.
    await worker.run();
    log('pipewright worker stopped');
  } finally {
    await connection.close();
  }
}
