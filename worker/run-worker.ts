/**
 * Runs a worker from configuration until SIGINT or SIGTERM, then shuts down gracefully: stop polling, let
 * running activities finish or heartbeat their cancellation within the grace time, exit. Serves /metrics,
 * /healthz and /readyz meanwhile, and the codec endpoint when PIPEWRIGHT_CODEC_PORT is set.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { CodecServer } from '../src/platform/codec/codec-server';
import { startCodecServer } from '../src/platform/codec/codec-server';
import { describeCodecAuth } from '../src/platform/codec/credentials';
import { encryptionDataConverter } from '../src/platform/codec/data-converter';
import { createEncryptionCodec } from '../src/platform/codec/encryption-codec';
import type { Config } from '../src/platform/config/config';
import { temporalConnectionOptions } from '../src/platform/config/temporal-connection';
import { redactUrl } from '../src/platform/db/redact';
import { createMetrics } from '../src/platform/metrics/metrics';
import { startMetricsServer } from '../src/platform/metrics/server';
import { loadNodeModules } from '../src/nodes/load-modules';
import { NodeTypes } from '../src/nodes/node-types';
import { createPipewrightWorker } from './create-worker';
import { startDataPlane } from './data-plane';
import { packagedWorkflowBundle } from './workflow-bundle';

export async function runWorker(config: Config, log: (line: string) => void = console.log): Promise<void> {
  const sdkMetricsAddress = config.metrics.sdkPort > 0 ? `127.0.0.1:${config.metrics.sdkPort}` : undefined;
  Runtime.install({
    logger: new DefaultLogger(config.logLevel),
    ...(sdkMetricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: sdkMetricsAddress } } } } : {}),
  });
  const nodeTypes = loadNodeModules(config.nodeModules);
  const metrics = createMetrics();
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const dataPlane = await startDataPlane(config, log, metrics);
  const codecServer = await startWorkerCodecServer(config, log);
  let ready = false;
  const server = await startMetricsServer({
    host: config.metrics.host,
    port: config.metrics.port,
    registry: metrics.registry,
    isReady: () => ready,
    sdkMetricsUrl: sdkMetricsAddress ? `http://${sdkMetricsAddress}/metrics` : undefined,
  });
  try {
    // Options every worker of this process shares: the main one (workflows and nodes) and one per node task queue
    // (PIPEWRIGHT_TASK_QUEUES: nodes only), all on the same data plane, run and stopped together.
    const shared = {
      connection,
      namespace: config.temporal.namespace,
      nodeTypes,
      metrics,
      data: dataPlane.data,
      connectionNames: dataPlane.connectionNames,
      activitySlots: config.activitySlots,
      shutdownGraceMs: config.shutdownGraceMs,
      heartbeatThrottleMs: config.heartbeatThrottleMs,
      dataConverter: encryptionDataConverter(config.codecKeys),
      notify: { webhooks: config.notifyWebhooks, ...(config.uiBase ? { uiBase: config.uiBase } : {}) },
    };
    const worker = await createPipewrightWorker({
      ...shared,
      taskQueue: config.temporal.taskQueue,
      workflowBundlePath: workflowBundleOf(config),
      versioning: config.deployment.versioning,
    });
    const nodeWorkers = await Promise.all(
      config.extraTaskQueues.map((taskQueue) => createPipewrightWorker({ ...shared, taskQueue, activitiesOnly: true })),
    );
    const running = Promise.all([worker.run(), ...nodeWorkers.map((w) => w.run())]);
    // Ready once the worker polls its task queue; not ready again as soon as shutdown begins.
    const poll = setInterval(() => {
      ready = worker.getState() === 'RUNNING';
      metrics.workerReady.set(ready ? 1 : 0);
    }, 200);
    const also = config.extraTaskQueues.length > 0 ? ` and nodes of "${config.extraTaskQueues.join('", "')}"` : '';
    log(
      `pipewright worker polling task queue "${config.temporal.taskQueue}"${also} on ${config.temporal.address} ` +
        `(namespace ${config.temporal.namespace}); node types: ${new NodeTypes(nodeTypes).names().join(', ')}; ` +
        `metrics on ${server.url}/metrics; cache ${
          dataPlane.data.cache.l2Available
            ? `L1 + L2 (Redis ${redactUrl(config.cache.redisUrl ?? '')}, prefix ${config.cache.prefix})`
            : 'L1 only (in process)'
        }`,
    );
    log(describeDeployment(config, codecServer));
    try {
      // The runtime's default shutdown signals (SIGINT, SIGTERM, ...) make run() resolve after a graceful drain.
      await running;
    } finally {
      clearInterval(poll);
      ready = false;
    }
    log('pipewright worker stopped');
  } finally {
    await server.close();
    await codecServer?.close();
    await dataPlane.stop();
    await connection.close();
  }
}

/** The codec endpoint in the worker process, when PIPEWRIGHT_CODEC_PORT is set (it needs keys and credentials). */
async function startWorkerCodecServer(config: Config, log: (line: string) => void): Promise<CodecServer | undefined> {
  const { port } = config.codecServer;
  if (port === undefined || !config.codecKeys) return undefined;
  return startCodecServer({ ...config.codecServer, port, codec: createEncryptionCodec(config.codecKeys), log });
}

/**
 * The prebuilt workflow bundle: PIPEWRIGHT_WORKFLOW_BUNDLE, else the one an installed package ships (unless payloads
 * are encrypted: that one has no encrypted failures); undefined means the worker bundles the workflows at start.
 */
function workflowBundleOf(config: Config): string | undefined {
  return config.deployment.workflowBundlePath ?? (config.codecKeys ? undefined : packagedWorkflowBundle());
}

/** One line: bundle, version, encryption (key ids only). */
function describeDeployment(config: Config, codecServer: CodecServer | undefined): string {
  const { versioning } = config.deployment;
  const workflowBundlePath = workflowBundleOf(config);
  const parts = [
    workflowBundlePath ? `workflow bundle ${workflowBundlePath}` : 'workflows bundled at start',
    versioning
      ? `deployment version ${versioning.deploymentName}.${versioning.buildId} (${versioning.defaultVersioningBehavior})`
      : 'unversioned',
    config.codecKeys
      ? `payloads encrypted with key ${config.codecKeys.currentKeyId} (known: ${config.codecKeys.ids.join(', ')})`
      : 'payloads not encrypted',
  ];
  if (codecServer)
    parts.push(`codec endpoint on ${codecServer.url}/codec/decode (${describeCodecAuth(config.codecServer.auth)})`);
  return parts.join('; ');
}
