/** Input and result of the `pipeline` workflow, its type name and signature. Pure. */
import type { NodeStatus, PauseMode, RunStatus } from '../model/state';
import type { PreviousNode, RerunFrom } from '../model/rerun';

export interface PipelineRunOptions {
  /** Overrides `defaults.parallelism` of the definition. */
  readonly parallelism?: number;
  /**
   * Continue as new once history reaches this many events, besides when Temporal suggests it. Lets tests and
   * very wide pipelines keep histories short; leave unset in production.
   */
  readonly historyEventLimit?: number;
  /**
   * The namespace has the `PipelineName` and `PipelineState` search attributes registered: the workflow keeps
   * `PipelineState` current. Set by the client after checking; leave unset against a server without them.
   */
  readonly searchAttributes?: boolean;
}

/** State handed from one run to the next through continue-as-new. */
export interface CarriedState {
  readonly generation: number;
  readonly startedAt: string;
  readonly paused: boolean;
  readonly pauseMode?: PauseMode;
  readonly nodes: readonly NodeStatus[];
  readonly checkpoints: Readonly<Record<string, unknown>>;
  /** Whether a node may have left staging tables (see `RunNodeResult.staged`). */
  readonly staged?: boolean;
  /** Params operators gave nodes with `retryNode`, by node id. */
  readonly paramOverrides?: Readonly<Record<string, Record<string, unknown>>>;
  /** The notifications sent so far (their keys), so that a continued run sends none again. */
  readonly notified?: readonly string[];
}

export interface PipelineInput {
  /** The definition, as written; the workflow validates it again. Give this or `ref`. */
  readonly definition?: unknown;
  /**
   * A published definition, `name@version` or `name@latest`, loaded by the `loadDefinition` activity from the
   * registry (cached). Continue-as-new carries the resolved version, so a run keeps its definition.
   */
  readonly ref?: string;
  readonly options?: PipelineRunOptions;
  /**
   * Values of the definition's params, typed or as text (`"2024-05-01"`, `"12"`); checked by the workflow against
   * the declarations (missing, unknown or mistyped ones fail the run, non-retryably, naming them).
   */
  readonly params?: Readonly<Record<string, unknown>>;
  /**
   * ISO 8601: the run's logical date for templates (`run.logicalDate`). Default: the schedule's scheduled time for
   * a run a schedule started, else the run's start time. Continue-as-new carries the resolved one.
   */
  readonly logicalDate?: string;
  /** Set only by continue-as-new. */
  readonly carried?: CarriedState;
  /** A rerun of an ended run: which nodes run again, and the outputs the others reuse (see `src/model/rerun.ts`). */
  readonly rerun?: RerunInput;
}

/** Which run a ledger or a rerun refers to. */
export interface RunIds {
  readonly workflowId: string;
  /** The first execution run id (stable across continue-as-new). */
  readonly runId: string;
}

export interface RerunInput {
  /** The run repeated. */
  readonly of: RunIds;
  readonly from: RerunFrom;
  /** Every node of the repeated run as its final status showed it (state and output). */
  readonly previous: readonly PreviousNode[];
  /**
   * The load ledger each node that did not succeed there wrote to (the repeated run's own, or the one it continued
   * itself): run again, such a node continues that ledger, so batches committed before are not loaded twice.
   */
  readonly ledgers?: Readonly<Record<string, RunIds>>;
}

export interface PipelineResult {
  readonly status: RunStatus;
}

/** The workflow type of every pipeline run (the workflow bundle's exported function). */
export const WORKFLOW_TYPE = 'pipeline';

/** The pipeline workflow's signature: typed starts and handles without importing workflow code. */
export type PipelineWorkflow = (input: PipelineInput) => Promise<PipelineResult>;
