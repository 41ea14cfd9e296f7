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
/** The full run status: run state and every node's state, attempts, times, error and output stats. */
export const statusQuery = defineQuery<RunStatus>('status');
