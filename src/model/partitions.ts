/**
 * Partitioned nodes, the pure part: the types the workflow holds, which nodes fan out at run time (and in which
 * form), what a definition may not do with them (fusion.ts keeps loads that publish once out of their chains), and
 * the bookkeeping of a partitioned node's progress (done partitions as index ranges, stats summed). Imported by the
 * workflow bundle and by validation. The listing itself is an activity's (src/data/partitions/).
 */
import type { Problem } from './problems';
import type { PipelineDefinition } from './schema';

/** Which partition of a partitioned node an activity runs: small, it travels in workflow history. */
export interface PartitionRef {
  /** 0-based, in the planner's order (sorted, deterministic). */
  readonly index: number;
  readonly count: number;
  /** The fingerprint of the listing the workflow planned with; a partition whose listing differs fails. */
  readonly fingerprint: string;
}

/** Input of the `listPartitions` activity. */
export interface ListPartitionsInput {
  readonly workflowId: string;
  readonly runId: string;
  /** The partitioned node (a fused chain's first node). */
  readonly node: { readonly id: string; readonly type: string; readonly params: Record<string, unknown> };
}

/** Result of the `listPartitions` activity: only a count and a fingerprint, never the listing. */
export interface ListPartitionsResult {
  readonly kind: string;
  readonly count: number;
  readonly fingerprint: string;
}

/** A partition that failed after its retries, as the status shows it. */
export interface FailedPartition {
  readonly index: number;
  readonly name: string;
  readonly message: string;
}

/**
 * A partitioned node's progress, kept in its status (and so carried by continue-as-new). Done partitions are kept as
 * ranges of indexes, which stay a handful of numbers however many partitions there are.
 */
export interface PartitionProgress {
  readonly kind: string;
  readonly count: number;
  readonly fingerprint: string;
  readonly done: number;
  readonly running: number;
  readonly failed: number;
  /** Done partitions as `[from, to)` index ranges, sorted and merged. */
  readonly completed: ReadonlyArray<readonly [number, number]>;
  /** The partitions that failed in the latest execution (at most the run's parallelism). */
  readonly failures?: readonly FailedPartition[];
  /** Each member node's stats summed over the done partitions, by node id. */
  readonly stats: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** The file sources whose `path` may be a glob: one partition per matching file. */
export const GLOB_SOURCE_TYPES: ReadonlySet<string> = new Set([
  'source.csv',
  'source.ndjson',
  'source.json',
  'source.parquet',
]);

/** Whether a path holds glob syntax (`*`, `?`, `[...]`, `{a,b}`); templates (`{{ ... }}`) are not globs. */
export const isGlob = (path: string): boolean => /[*?[{]/.test(path.replace(/\{\{.*?\}\}/g, ''));

/** A node as far as partitioning looks at it. */
export interface PartitionableNode {
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * The forms of partitioning, each deciding from a node's type and params whether it applies. A planner of the same
 * `kind` (src/data/partitions/planners.ts) lists the partitions; further forms (byte ranges, key ranges) add an entry.
 */
export const PARTITION_FORMS: ReadonlyArray<{
  readonly kind: string;
  readonly applies: (node: PartitionableNode) => boolean;
}> = [
  {
    kind: 'glob',
    applies: (n) => GLOB_SOURCE_TYPES.has(n.type) && typeof n.params.path === 'string' && isGlob(n.params.path),
  },
  // `source.csv` `split` (one file as byte ranges; a glob with `split` is refused by the node's params).
  { kind: 'byte-range', applies: (n) => n.type === 'source.csv' && isObject(n.params.split) },
  // `source.postgres` `partitionBy` (the query as key ranges).
  { kind: 'key-range', applies: (n) => n.type === 'source.postgres' && isObject(n.params.partitionBy) },
];

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null;

/** The partitioning form of a node, or undefined for a node that runs whole. */
export function partitionForm(node: PartitionableNode): string | undefined {
  return PARTITION_FORMS.find((f) => f.applies(node))?.kind;
}

/**
 * The node id a partition's load ledger is keyed by: each partition has its own batches, under the listing it was
 * planned with. A rerun that continues an ended run's ledgers (`ledgerRun`) skips a partition's committed batches only
 * when its listing is the same: partition 3 of another listing (a file added to the glob, a key range moved as the
 * table grew) is other rows, and loads from its first batch.
 */
export const partitionLedgerNodeId = (nodeId: string, index: number, fingerprint: string): string =>
  `${nodeId}#p${index}@${fingerprint.slice(0, 12)}`;

/** What a definition may not do with partitioned nodes: a partitioned node is not memoized. */
export function partitionProblems(definition: PipelineDefinition): Problem[] {
  const problems: Problem[] = [];
  definition.nodes.forEach((n, i) => {
    if (partitionForm(n) !== undefined && n.cache !== undefined)
      problems.push({
        path: `nodes[${i}].cache`,
        message: `node "${n.id}" is partitioned (a glob path, split or partitionBy): it cannot be memoized; remove cache`,
      });
  });
  return problems;
}

/** A fresh progress for a listing. */
export function startProgress(listing: { kind: string; count: number; fingerprint: string }): PartitionProgress {
  return { ...listing, done: 0, running: 0, failed: 0, completed: [], stats: {} };
}

/** Whether partition `index` is done. */
export function isCompleted(completed: PartitionProgress['completed'], index: number): boolean {
  return completed.some(([from, to]) => index >= from && index < to);
}

/** The ranges with `index` added, sorted and merged. */
export function addCompleted(
  completed: PartitionProgress['completed'],
  index: number,
): Array<readonly [number, number]> {
  if (isCompleted(completed, index)) return [...completed];
  const ranges = [...completed, [index, index + 1] as const].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of ranges) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** Up to `limit` partitions that are neither done nor in `skip`, lowest index first. */
export function nextPartitions(
  progress: Pick<PartitionProgress, 'count' | 'completed'>,
  skip: ReadonlySet<number>,
  limit: number,
): number[] {
  const out: number[] = [];
  let i = 0;
  for (const [from, to] of [...progress.completed, [progress.count, progress.count] as const]) {
    for (; i < from && out.length < limit; i++) if (!skip.has(i)) out.push(i);
    if (out.length >= limit) break;
    i = Math.max(i, to);
  }
  return out;
}

/** Each node's numeric stats added to `sums` (by node id). */
export function addStats(
  sums: PartitionProgress['stats'],
  outputs: Readonly<Record<string, { readonly stats?: Readonly<Record<string, number>> } | undefined>>,
): Record<string, Record<string, number>> {
  const next: Record<string, Record<string, number>> = {};
  for (const [id, stats] of Object.entries(sums)) next[id] = { ...stats };
  for (const [id, output] of Object.entries(outputs)) {
    const into = (next[id] ??= {});
    for (const [k, v] of Object.entries(output?.stats ?? {})) if (typeof v === 'number') into[k] = (into[k] ?? 0) + v;
  }
  return next;
}

/** `12 of 200 partitions done, 4 running, 1 failed` ("of", not "/": the Web UI's markdown makes 1/8 a fraction). */
export function partitionsText(p: Pick<PartitionProgress, 'count' | 'done' | 'running' | 'failed'>): string {
  const more = runningAndFailed(p);
  return `${p.done} of ${p.count} partitions done${more ? `, ${more}` : ''}`;
}

/** `4 running, 1 failed`, or empty when none run or failed. */
export function runningAndFailed(p: Pick<PartitionProgress, 'running' | 'failed'>): string {
  return [p.running > 0 ? `${p.running} running` : '', p.failed > 0 ? `${p.failed} failed` : '']
    .filter(Boolean)
    .join(', ');
}

/** One line per failed partition of a node: `read: partition 5 of 200 (data/2024-05.csv) failed: ...`. */
export function failedPartitionLines(nodeId: string, p: PartitionProgress, max = 10): string[] {
  const failures = p.failures ?? [];
  const lines = failures
    .slice(0, max)
    .map(
      (f) => `${nodeId}: partition ${f.index + 1} of ${p.count} (${f.name}) failed: ${f.message.split('\n')[0] ?? ''}`,
    );
  if (failures.length > max) lines.push(`${nodeId}: ${failures.length - max} more partitions failed`);
  return lines;
}
