/** The worker side of pipewright (`pipewright/worker`): build a worker in your own process, or run one from settings. */
export { createPipewrightWorker } from './create-worker';
export type { CreateWorkerOptions } from './create-worker';
export { runWorker } from './run-worker';
export { writeWorkflowBundle } from './workflow-bundle';
