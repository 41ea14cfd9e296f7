/** What the typed client takes and returns. */
import type { RunStatus } from '../model/state';
import type { NodeDescription } from '../model/nodes/describe';

export interface ValidateClientOptions {
  /** Your own node types, so their names and params validate; the built-ins are always known. */
  readonly nodeTypes?: readonly NodeDescription[];
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
  /**
   * Values of the definition's `params`, typed (`{ day: '2024-05-01', limit: 10 }`) or as text (`{ limit: '10' }`).
   * A missing required param, an unknown one, or a value of the wrong type throws before anything starts.
   */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The run's logical date for templates (`run.logicalDate`); default the run's start time. */
  readonly logicalDate?: Date | string;
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
  /** `sha256:<hex>` of the definition, from the memo (runs started by this client). */
  readonly definitionHash?: string;
  /** The `PipelineState` search attribute, where the namespace has it: the run state as the workflow last set it. */
  readonly pipelineState?: string;
  readonly startTime: Date;
  readonly closeTime?: Date;
  /** Present when the status was queried (the `paused` filter does where the namespace lacks the search attributes). */
  readonly status?: RunStatus;
}

/** A node's activity waiting on a task queue that no worker polls. */
export interface UnpolledNode {
  /** The node id (`a..c` for a fused chain, `a#2` for a later execution). */
  readonly activityId: string;
  readonly taskQueue: string;
  readonly scheduledAt: Date;
}

/** A running node's rows so far, from its activity's latest heartbeat. */
export interface NodeProgress {
  readonly nodeId: string;
  /** Rows the node has handled in its current attempt. */
  readonly rows: number;
  /** When the heartbeat carrying them was recorded. */
  readonly at: Date;
  readonly attempt: number;
}

export interface WatchOptions {
  /** How often the status is queried; default 500 ms. */
  readonly intervalMs?: number;
  /** Stops watching (the run goes on); `watch` then resolves to undefined. */
  readonly signal?: AbortSignal;
  /**
   * Also read the rows running nodes report (their latest heartbeats, through one `describe` call at most every
   * `progressEveryMs`, default 1 s) and pass them to `onStatus`.
   */
  readonly progress?: boolean;
  readonly progressEveryMs?: number;
}
