/** What the typed client takes and returns. */
import type { RunStatus } from '../dag/state';
import type { NodeType } from '../nodes/node-type';

export interface ValidateClientOptions {
  /** Your own node types, so their names and params validate; the built-ins are always known. */
  readonly nodeTypes?: readonly NodeType<never>[];
}

export interface StartOptions extends ValidateClientOptions {
  /** Identifies the run within the pipeline; the same key gives the same run. Default: a UTC timestamp. */
  readonly runKey?: string;
  /** Overrides `defaults.parallelism` of the definition. */
  readonly parallelism?: number;
  /** Overrides the client's task queue (the one workers poll). */
  readonly taskQueue?: string;
  /** Continue as new once history reaches this many events; see `PipelineRunOptions`. */
  readonly historyEventLimit?: number;
}

export interface StartReferenceOptions extends StartOptions {
  /** The definition the reference names, when the caller has loaded it: validated before the start. */
  readonly definition?: unknown;
}

export interface StartedRun {
  /** `<pipeline name>--<run key>`. */
  readonly workflowId: string;
  /** The run the start returned: the new one, or the one already there. */
  readonly runId: string;
  /** True when a run with this key already existed (running or closed) and nothing new was started. */
  readonly existing: boolean;
  readonly runKey: string;
  readonly pipeline: { readonly name: string; readonly version: string };
}

/** How a run closed, from Temporal's point of view. */
export const RUN_OUTCOMES = ['completed', 'failed', 'cancelled', 'terminated', 'timed-out'] as const;
export type RunOutcomeKind = (typeof RUN_OUTCOMES)[number];

export interface RunOutcome {
  readonly workflowId: string;
  readonly outcome: RunOutcomeKind;
  /** The final status; missing when no worker answered the query after the run closed (or it was terminated early). */
  readonly status?: RunStatus;
  /** The failure message for runs that did not complete. */
  readonly message?: string;
}

/** Temporal's execution status of a run, in lower case (`running`, `completed`, `continued-as-new`, ...). */
export type ExecutionState =
  'running' | 'completed' | 'failed' | 'cancelled' | 'terminated' | 'continued-as-new' | 'timed-out' | 'unknown';

export interface RunSummary {
  readonly workflowId: string;
  readonly runId: string;
  readonly pipeline?: string;
  readonly version?: string;
  readonly runKey?: string;
  readonly executionState: ExecutionState;
  readonly taskQueue: string;
  readonly startTime: Date;
  readonly closeTime?: Date;
  /** Present when the status was queried (the `paused` filter does). */
  readonly status?: RunStatus;
}

export interface WatchOptions {
  /** How often the status is queried; default 500 ms. */
  readonly intervalMs?: number;
  /** Stops watching (the run goes on); `watch` then resolves to undefined. */
  readonly signal?: AbortSignal;
}
