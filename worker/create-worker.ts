/** Builds a pipewright worker: the `pipeline` workflow and the node activities on one task queue. */
import type { DataConverter } from '@temporalio/common';
import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { PipewrightMetrics } from '../src/platform/metrics/metrics';
import { createMetrics } from '../src/platform/metrics/metrics';
import { createPgMetricsObserver } from '../src/platform/metrics/pg-metrics';
import { RUN_OUTCOMES, type PipelineSinks } from '../workflows/sinks';
import type { InjectedSinks } from '@temporalio/worker';
import type { NodeType } from '../src/nodes/node-type';
import { NodeTypes } from '../src/nodes/node-types';
import { DEFAULT_DATABASE_URL, type ActivitySlots } from '../src/platform/config/config';
import type { DataServices } from '../src/data/services';
import { createDataServices } from '../src/data/services';
import type { WorkerVersioningConfig } from '../src/platform/config/deployment-settings';
import { createBreakers } from '../src/platform/resilience/breakers';
import { checkWorkflowBundle, packagedWorkflowBundle, WORKFLOWS_PATH } from './workflow-bundle';

export interface CreateWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace?: string;
  readonly taskQueue: string;
  /** The user's own node types, besides the built-ins. */
  readonly nodeTypes?: readonly NodeType<never>[];
  /** A workflow bundle built ahead of time (`bundleWorkflowCode`); otherwise the workflows are bundled now. */
  readonly workflowBundlePath?: string;
  readonly maxConcurrentActivities?: number;
  /** How node activities are admitted; default a fixed `maxConcurrentActivities` slots (see `ActivitySlots`). */
  readonly activitySlots?: ActivitySlots;
  readonly shutdownGraceMs?: number;
  /**
   * Longest gap between heartbeats sent to the server. The SDK's default (80% of the heartbeat timeout) would
   * delay cancellation of a node by up to that long.
   */
  readonly heartbeatThrottleMs?: number;
  /** Where node and run metrics go; a fresh registry when omitted. */
  readonly metrics?: PipewrightMetrics;
  /**
   * Postgres for data nodes: the pools, schemas, registered functions and circuit breakers shared by this
   * worker's activities. Default: DATABASE_URL's default (127.0.0.1:5432) with the `pipewright` schemas and
   * breakers of their own with default settings, not shared with other workers. The caller closes it.
   */
  readonly data?: DataServices;
  /** Names of the extra connections in `data` (their databases may hold staging to drop). */
  readonly connectionNames?: readonly string[];
  /**
   * Payload codecs and failure converter, the same as the clients' (`encryptionDataConverter(keys)` when payloads
   * are encrypted). With a failure converter path and a prebuilt bundle, the bundle must have been built with it.
   */
  readonly dataConverter?: DataConverter;
  /** Worker Versioning: register as this deployment version; unversioned when omitted. */
  readonly versioning?: WorkerVersioningConfig;
  /** Webhook URLs of `notify` by name (`''`: the default webhook) and the Web UI's address for run links. */
  readonly notify?: { readonly webhooks: Readonly<Record<string, string>>; readonly uiBase?: string };
  /** Run only node activities (no workflows): a worker for a node task queue (`taskQueue` in definitions). */
  readonly activitiesOnly?: boolean;
}

export async function createPipewrightWorker(options: CreateWorkerOptions): Promise<Worker> {
  const nodeTypes = new NodeTypes(options.nodeTypes ?? []);
  const metrics = options.metrics ?? createMetrics();
  const data =
    options.data ??
    createDataServices({
      url: DEFAULT_DATABASE_URL,
      observer: createPgMetricsObserver(metrics),
      breakers: createBreakers({ metrics }),
    });
  metrics.observeCache(data.cache);
  const sinks: InjectedSinks<PipelineSinks> = {
    pipelineMetrics: {
      runEnded: {
        fn: (_info, e) => {
          // The pipeline's other outcomes at 0: Prometheus's increase() then counts its first failure too.
          for (const outcome of RUN_OUTCOMES) metrics.pipelineRuns.inc({ pipeline: e.pipeline, outcome }, 0);
          metrics.pipelineRuns.inc({ pipeline: e.pipeline, outcome: e.outcome });
          metrics.pipelineRunDuration.observe({ pipeline: e.pipeline, outcome: e.outcome }, e.durationMs / 1000);
        },
        // A replay (another worker picking the run up) must not count the run again.
        callDuringReplay: false,
      },
    },
  };
  const encryptedFailures = Boolean(options.dataConverter?.failureConverterPath);
  // An installed package's own bundle, unless payloads are encrypted (it has no encrypted failures).
  const bundlePath = options.workflowBundlePath ?? (encryptedFailures ? undefined : packagedWorkflowBundle());
  if (bundlePath && !options.activitiesOnly) checkWorkflowBundle(bundlePath, encryptedFailures);
  const workflows = options.activitiesOnly
    ? {}
    : bundlePath
      ? { workflowBundle: { codePath: bundlePath }, sinks }
      : { workflowsPath: WORKFLOWS_PATH, sinks };
  const versioning = options.versioning;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    ...workflows,
    activities: createActivities({
      nodeTypes,
      data,
      connectionNames: options.connectionNames,
      taskQueue: options.taskQueue,
      metrics,
      notify: { webhooks: {}, ...options.notify, namespace: options.namespace ?? 'default' },
    }),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...(versioning
      ? {
          workerDeploymentOptions: {
            version: { deploymentName: versioning.deploymentName, buildId: versioning.buildId },
            useWorkerVersioning: true,
            defaultVersioningBehavior: versioning.defaultVersioningBehavior,
          },
        }
      : {}),
    ...slotOptions(options.activitySlots ?? { kind: 'fixed', slots: options.maxConcurrentActivities ?? 100 }),
    shutdownGraceTime: options.shutdownGraceMs ?? 30_000,
    maxHeartbeatThrottleInterval: options.heartbeatThrottleMs ?? 1_000,
    defaultHeartbeatThrottleInterval: options.heartbeatThrottleMs ?? 1_000,
  });
}

/**
 * Fixed activity slots, or a tuner whose activity slots follow memory and CPU while workflow tasks keep the SDK's
 * fixed defaults (Temporal recommends fixed slots for workflow tasks).
 */
function slotOptions(slots: ActivitySlots): Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'tuner'> {
  if (slots.kind === 'fixed') return { maxConcurrentActivityTaskExecutions: slots.slots };
  return {
    tuner: {
      workflowTaskSlotSupplier: { type: 'fixed-size', numSlots: 40 },
      activityTaskSlotSupplier: {
        type: 'resource-based',
        minimumSlots: slots.minimum,
        maximumSlots: slots.maximum,
        tunerOptions: { targetMemoryUsage: slots.targetMemory, targetCpuUsage: slots.targetCpu },
      },
      localActivityTaskSlotSupplier: { type: 'fixed-size', numSlots: 100 },
      nexusTaskSlotSupplier: { type: 'fixed-size', numSlots: 100 },
    },
  };
}
