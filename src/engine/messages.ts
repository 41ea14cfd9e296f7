/** Signals, queries and updates of the `pipeline` workflow, shared by the workflow and its clients. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PauseMode, RunStatus } from '../model/state';

export interface PauseArgs {
  /** `drain` (default) lets running nodes finish and starts none; `immediate` also cancels running nodes. */
  readonly mode?: PauseMode;
}

export interface SetPausedArgs {
  readonly paused: boolean;
  readonly mode?: PauseMode;
}

/** Stops scheduling nodes; see {@link PauseArgs}. */
export const pauseSignal = defineSignal<[PauseArgs?]>('pause');
/** Resumes scheduling; nodes cancelled by an immediate pause run again from their checkpoint. */
export const resumeSignal = defineSignal<[]>('resume');
/** Pauses or resumes and returns the status once it has taken effect (running nodes drained or cancelled). */
export const setPausedUpdate = defineUpdate<RunStatus, [SetPausedArgs]>('setPaused');
export interface RetryNodeArgs {
  readonly nodeId: string;
  /** Params to run the node with from now on, instead of the definition's (checked by the node type's schema). */
  readonly params?: Record<string, unknown>;
}

export interface SkipNodeArgs {
  readonly nodeId: string;
  /** `skipped` (default) skips the node's dependents too; `succeeded` lets them run, with an empty output. */
  readonly as?: 'skipped' | 'succeeded';
}

/** Runs a held node again as a new execution; returns the status once it is running (or has ended again). */
export const retryNodeUpdate = defineUpdate<RunStatus, [RetryNodeArgs]>('retryNode');
/** Ends a held node as skipped or succeeded; returns the status once the scheduler has acted on it. */
export const skipNodeUpdate = defineUpdate<RunStatus, [SkipNodeArgs]>('skipNode');
/** Ends the run as failed, as fail-fast would have; returns the final status. */
export const failRunUpdate = defineUpdate<RunStatus, []>('failRun');
/** The full run status: run state and every node's state, attempts, times, error and output stats. */
export const statusQuery = defineQuery<RunStatus>('status');
