/**
 * The activity interface the workflow schedules. Types only: workflows import it with `import type`.
 * One object in, one object out; both stay small: row data never travels through workflow history.
 */
import type { ResolvedRetry } from '../model/options';
import type { DatasetRef, NodeOutput } from '../model/state';
import type { NotificationDocument } from '../model/notify';
import type { BreakerOverrides } from '../model/breaker-settings';
import type { RunIds } from './run-input';
import type { ListPartitionsInput, ListPartitionsResult, PartitionRef } from '../model/partitions';

export interface NodeRef {
  readonly id: string;
  readonly type: string;
  readonly params: Record<string, unknown>;
  /** The node's own circuit breaker settings (over the pipeline's defaults), when either sets any. */
  readonly breaker?: BreakerOverrides;
  /** Memoization (`cache` in the definition): reuse an earlier output with the same fingerprint within `ttlMs`. */
  readonly cache?: { readonly ttlMs: number; readonly key?: string };
}

export interface RunNodeInput {
  readonly workflowId: string;
  /** The run's first execution run id (stable across continue-as-new); keys ledgers and staging. */
  readonly runId: string;
  readonly pipeline: { readonly name: string; readonly version: string };
  /** The node to run; for a fused chain, its first node. */
  readonly node: NodeRef;
  /** A fused chain of streaming nodes run as one activity, in stream order (`node` is its first). */
  readonly chain?: readonly NodeRef[];
  /** Outputs of the node's needs (of the chain's first node), by node id. */
  readonly inputs: Readonly<Record<string, NodeOutput>>;
  /** Checkpoint reported by an earlier execution that was cancelled by pause immediate. */
  readonly checkpoint?: unknown;
  /**
   * The retry policy the activity is scheduled with, so a failure can carry its own jittered `nextRetryDelay`
   * and keep `nonRetryableErrorTypes` non-retryable. Absent in runs scheduled before it existed.
   */
  readonly retry?: ResolvedRetry;
  /**
   * A rerun's node that did not succeed in the run repeated continues that run's load ledger (its workflow and
   * first run ids): batches it committed there are not loaded again.
   */
  readonly ledgerRun?: RunIds;
  /**
   * For a partitioned node (a glob path, ...): the one partition this activity runs. The activity lists the
   * partitions again and fails (InputChangedError) when the listing no longer has this fingerprint.
   */
  readonly partition?: PartitionRef;
}

export interface RunNodeResult {
  /** The output of the node (of a chain's last node). */
  readonly output: NodeOutput;
  /** For a fused chain: each node's output (statistics; only the last holds the dataset). */
  readonly outputs?: Readonly<Record<string, NodeOutput>>;
  /** The attempt that succeeded (1-based). */
  readonly attempt: number;
  /** True when the node did not run: the output of an earlier run with the same fingerprint was reused. */
  readonly cached?: boolean;
  /** True when the output is a table in the staging schema, which the run drops when it ends. */
  readonly staged?: boolean;
}

/** Details attached to every failure the activity reports, so the workflow can show attempts. */
export interface NodeFailureDetails {
  readonly attempt: number;
  readonly nodeId: string;
  /** For a partition's activity: which partition failed. */
  readonly partition?: { readonly index: number; readonly name: string };
}

/** Details a node attaches when it is cancelled, so the next execution resumes from there. */
export interface NodeCancelDetails {
  readonly checkpoint?: unknown;
}

export interface DropStagingInput {
  readonly workflowId: string;
  readonly runId: string;
}

export interface DropStagingResult {
  readonly dropped: number;
}

export interface LoadDefinitionInput {
  /** `name@version` or `name@latest`. */
  readonly ref: string;
}

export interface LoadDefinitionResult {
  /** The definition as published; the workflow validates it. */
  readonly definition: unknown;
  /** The reference with `latest` resolved: `name@<version>`. */
  readonly ref: string;
}

export interface FindDatasetsInput {
  /** Datasets of nodes, with the named connection a table is in (the default database when absent). */
  readonly datasets: ReadonlyArray<{
    readonly nodeId: string;
    readonly dataset: DatasetRef;
    readonly connection?: string;
  }>;
}

export interface FindDatasetsResult {
  /** The nodes whose dataset is still there (a table that exists and holds its rows, a file that exists). */
  readonly present: readonly string[];
}

export interface NotifyInput {
  /** Unique per run and event (`failed`, `held:load:1`, ...): the activity sends each key once. */
  readonly key: string;
  /** The webhook's name (`PIPEWRIGHT_NOTIFY_WEBHOOK_<NAME>`); the default webhook when absent. */
  readonly webhook?: string;
  readonly document: NotificationDocument;
}

export interface NotifyResult {
  /** False when an earlier attempt (or worker) had sent this key already. */
  readonly sent: boolean;
  /** The webhook's HTTP status. */
  readonly status?: number;
}

export interface PipewrightActivities {
  runNode(input: RunNodeInput): Promise<RunNodeResult>;
  /** Loads a published definition by reference (through the cache); runs started by reference only. */
  loadDefinition(input: LoadDefinitionInput): Promise<LoadDefinitionResult>;
  /** Drops the staging tables of a run; called when the run ends. */
  dropStaging(input: DropStagingInput): Promise<DropStagingResult>;
  /** Which of the datasets are still there; a rerun asks before reusing them. */
  findDatasets(input: FindDatasetsInput): Promise<FindDatasetsResult>;
  /** POSTs a notification document to a webhook, once per key; never fails a run (the workflow ignores failures). */
  notify(input: NotifyInput): Promise<NotifyResult>;
  /** Lists a partitioned node's partitions: their count and the listing's fingerprint, never the listing. */
  listPartitions(input: ListPartitionsInput): Promise<ListPartitionsResult>;
}
