/** Run and node states, and the status the workflow reports. Pure. */
import type { ParamValue } from './params/schema';
import type { PartitionProgress } from './partitions';

export const NodeState = {
  pending: 'pending',
  running: 'running',
  succeeded: 'succeeded',
  /** Succeeded without running: the output of an earlier run with the same fingerprint was reused (`cache`). */
  cached: 'cached',
  failed: 'failed',
  /** Failed after its retries under `onFailure: hold`: waits for an operator to retry or skip it. */
  held: 'held',
  skipped: 'skipped',
  cancelled: 'cancelled',
} as const;
export type NodeState = (typeof NodeState)[keyof typeof NodeState];

/** How many of `states` are in each node state (every state present, zeros included). */
export function countNodeStates(states: Iterable<{ readonly state: NodeState }>): Record<NodeState, number> {
  const counts = Object.fromEntries(Object.values(NodeState).map((st) => [st, 0])) as Record<NodeState, number>;
  for (const s of states) counts[s.state] += 1;
  return counts;
}

export const RunState = {
  running: 'running',
  paused: 'paused',
  /** A node is held (`onFailure: hold`): the run waits for an operator (retryNode, skipNode, failRun). */
  held: 'held',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
export type RunState = (typeof RunState)[keyof typeof RunState];

export const PAUSE_MODES = ['drain', 'immediate'] as const;
export type PauseMode = (typeof PAUSE_MODES)[number];

/** A reference to a node's output dataset; never the rows themselves (they stay out of workflow history). */
/** A dataset's column: name and type, and a geometry column's SRID, kind and Z (the staging table's typmod). */
export interface DatasetColumn {
  readonly name: string;
  readonly type: string;
  readonly srid?: number;
  readonly kind?: string;
  readonly z?: boolean;
}

/** The dataset column of a column spec (named `name`): the geometry options only where there are some. */
export function datasetColumn(
  c: { readonly type: string; readonly srid?: number; readonly kind?: string; readonly z?: boolean },
  name: string,
): DatasetColumn {
  if (c.type !== 'geometry') return { name, type: c.type };
  return {
    name,
    type: c.type,
    ...(c.srid !== undefined ? { srid: c.srid } : {}),
    ...(c.kind !== undefined ? { kind: c.kind } : {}),
    ...(c.z !== undefined ? { z: c.z } : {}),
  };
}

export interface DatasetRef {
  readonly kind: 'table' | 'file';
  /** Schema-qualified table, or a file URI. */
  readonly location: string;
  readonly rows?: number;
  readonly columns?: ReadonlyArray<DatasetColumn>;
  /** For files: how the rows are written. */
  readonly format?: 'csv' | 'ndjson' | 'geojson' | 'geojsonseq';
  /** For GeoJSON files: the column read from each feature's `id` (the first column). */
  readonly idColumn?: string;
}

/** What a node hands to its dependents and to the status: statistics, a dataset reference, a small value. */
export interface NodeOutput {
  readonly stats?: Readonly<Record<string, number>>;
  readonly dataset?: DatasetRef;
  /** A small JSON value (a few KB at most). */
  readonly value?: unknown;
  /**
   * What made this output: a hash of the node's type, params, cache key and its inputs' fingerprints (with their
   * row counts and columns). Equal fingerprints mean a memoized node may reuse an earlier output.
   */
  readonly fingerprint?: string;
}

export interface NodeError {
  readonly type: string;
  readonly message: string;
  readonly nonRetryable: boolean;
}

export interface NodeStatus {
  readonly id: string;
  readonly type: string;
  readonly needs: readonly string[];
  readonly state: NodeState;
  /** Attempts of the latest execution as reported by the activity (1 when it succeeded first time). */
  readonly attempts: number;
  /** How many times the node was started (more than 1 after pause immediate or a retry by an operator). */
  readonly executions: number;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly error?: NodeError;
  readonly output?: NodeOutput;
  /** The params the node ran with, templates rendered (only for nodes whose params use templates). */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The node did not run: its output is the one it had in the run this one reruns (state `cached`). */
  readonly reused?: boolean;
  /**
   * Running on a task queue of its own (`taskQueue`) whose workers have not picked its activity up since it was
   * scheduled (`startedAt`): no worker polls the queue, or every worker of it is busy. The queue's name.
   */
  readonly waitingForWorker?: string;
  /** A partitioned node (a fused chain's first node): its partitions done, running and failed, rows summed. */
  readonly partitions?: PartitionProgress;
}

export interface RunStatus {
  readonly pipeline: { readonly name: string; readonly version: string };
  readonly state: RunState;
  readonly paused: boolean;
  readonly pauseMode?: PauseMode;
  readonly parallelism: number;
  readonly startedAt: string;
  readonly endedAt?: string;
  /** Runs of this workflow id so far, counting continue-as-new (1 for the first). */
  readonly generation: number;
  readonly counts: Readonly<Record<NodeState, number>>;
  readonly nodes: readonly NodeStatus[];
  /** The run's params (given or defaults), for a definition that declares params or uses templates. */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** The logical date templates saw (the scheduled time of a scheduled run, else the start), with `params`. */
  readonly logicalDate?: string;
  /** For a rerun: the run it repeats (its nodes marked `reused` kept their output from there). */
  readonly rerunOf?: { readonly workflowId: string; readonly runId: string };
}

export const TERMINAL_NODE_STATES: ReadonlySet<NodeState> = new Set([
  'succeeded',
  'cached',
  'failed',
  'skipped',
  'cancelled',
]);
/** States in which a node's output is there for its dependents. */
export const DONE_NODE_STATES: ReadonlySet<NodeState> = new Set(['succeeded', 'cached']);
export const TERMINAL_RUN_STATES: ReadonlySet<RunState> = new Set(['completed', 'failed', 'cancelled']);
