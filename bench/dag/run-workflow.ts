/** Runs one workflow on the bench's task queue and times it from the client's start call to its result. */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { withTimeout } from './timeout';

/** One timed run. */
export interface TimedRun {
  readonly workflowId: string;
  /** Client start call to result, in milliseconds. */
  readonly ms: number;
  /** When the client called start (Date.now()). */
  readonly clientStart: number;
  readonly handle: WorkflowHandle;
}

/** Starts `type` with `input` and waits for its result, failing the bench after `timeoutMs`. */
export async function timedRun(
  client: Client,
  taskQueue: string,
  type: string,
  input: unknown,
  timeoutMs: number,
): Promise<TimedRun> {
  const workflowId = `bench-${type}-${randomUUID().slice(0, 8)}`;
  const clientStart = Date.now();
  const t0 = performance.now();
  const handle = await client.workflow.start(type, { taskQueue, workflowId, args: [input] });
  await withTimeout(handle.result(), timeoutMs, `workflow ${workflowId}`);
  return { workflowId, ms: performance.now() - t0, clientStart, handle };
}
