/**
 * Partitioned nodes: a node that fans out at run time into partitions (the files of a glob, byte ranges of a file,
 * key ranges of a query). A planner lists a node's partitions (in the `listPartitions` activity, and again in each
 * partition's activity to find its own); the workflow only ever holds their count and the listing's fingerprint.
 * Pure types. Those the workflow holds (a partition's reference, a node's progress) live in src/model/partitions.ts
 * and are re-exported here, so a planner needs this one module.
 */

export type {
  FailedPartition,
  ListPartitionsInput,
  ListPartitionsResult,
  PartitionProgress,
  PartitionRef,
} from '../../model/partitions';

/** One partition as its planner describes it; each planner adds the fields its reader needs. */
export interface PartitionDescriptor {
  /** The planner's form (`glob`, `byte-range`, `key-range`, ...). */
  readonly kind: string;
  /** What the status shows for a failed partition: a file name, `bytes 0-1048575`, `id in [0, 1000)`. */
  readonly name: string;
}

/** A file of a glob. */
export interface FilePartition extends PartitionDescriptor {
  readonly kind: 'glob';
  /** Absolute path. */
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Every partition of a node, in order, and a fingerprint of the listing (changes when any partition does). */
export interface PartitionPlan<D extends PartitionDescriptor = PartitionDescriptor> {
  readonly partitions: readonly D[];
  readonly fingerprint: string;
}

/** The node a planner plans for: its id (for errors), type and parsed params. */
export interface PlannedNode<P = unknown> {
  readonly nodeId: string;
  readonly type: string;
  readonly params: P;
}

/**
 * Lists the partitions of the nodes of one form. `plan` runs in activities only (it may read files or query a
 * database); it must return the same listing, in the same order, for the same input.
 */
export interface PartitionPlanner<P = unknown, D extends PartitionDescriptor = PartitionDescriptor> {
  /** The form, as `partitionForm` (src/model/partitions.ts) names it. */
  readonly kind: string;
  /**
   * Whether the listing stores its plan (plan-store.ts) for the partitions to read back, instead of each partition
   * planning again: for plans that cost a scan, or would differ when made again.
   */
  readonly stored?: boolean;
  plan(node: PlannedNode<P>, services: PlannerServices): Promise<PartitionPlan<D>>;
}

/** What a planner may use; data planners get the worker's data services through `data`. */
export interface PlannerServices {
  readonly data?: unknown;
  readonly signal?: AbortSignal;
  /** Called as a long plan advances (bytes of a file scanned): the listing activity heartbeats from it. */
  readonly onProgress?: (done: number) => void;
}

/** The partition a node's reader reads, as its context carries it. */
export interface PartitionInContext<D extends PartitionDescriptor = PartitionDescriptor> {
  readonly index: number;
  readonly count: number;
  /** The fingerprint of the listing the run planned with (see PartitionRef). */
  readonly fingerprint: string;
  readonly descriptor: D;
}
