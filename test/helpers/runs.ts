/** Starting pipeline runs and waiting on their status in tests. */
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { RunStatus } from '../../src/model/state';
import type { pipeline } from '../../workflows/pipeline';
import type { PipelineRunOptions } from '../../src/engine/run-input';
import { statusQuery } from '../../src/engine/messages';
import { uniqueId } from './temporal';

export type PipelineHandle = WorkflowHandleWithFirstExecutionRunId<typeof pipeline>;

export function startPipeline(
  client: Client,
  taskQueue: string,
  definition: unknown,
  options?: PipelineRunOptions,
): Promise<PipelineHandle> {
  return client.workflow.start<typeof pipeline>('pipeline', {
    taskQueue,
    workflowId: uniqueId('run'),
    args: [{ definition, options }],
  });
}

/** Polls the status query until `predicate` holds; fails with the last status after `timeoutMs`. */
export async function waitForStatus(
  handle: PipelineHandle,
  predicate: (s: RunStatus) => boolean,
  timeoutMs = 15_000,
): Promise<RunStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: RunStatus | undefined;
  while (Date.now() < deadline) {
    last = await handle.query(statusQuery);
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`status condition not met within ${timeoutMs}ms; last status: ${JSON.stringify(last)}`);
}

export const nodeOf = (s: RunStatus, id: string) => {
  const n = s.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id} in status`);
  return n;
};

/** Awaits a run that must fail and returns the ApplicationFailure it failed with. */
export async function failureOf(result: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}
