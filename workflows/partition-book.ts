/**
 * The bookkeeping of partitioned units: each one's progress (kept in its first node's status, so the status shows it
 * and continue-as-new carries it), how many of its partitions run now, and what its output is once every partition
 * is done. Deterministic and free of Temporal calls; the run tracker owns it, `partitions.ts` drives it.
 */
import type { RunNodeResult } from '../src/engine/contract';
import type { FailedPartition, ListPartitionsResult, PartitionProgress } from '../src/model/partitions';
import { addCompleted, addStats, partitionForm, startProgress } from '../src/model/partitions';
import type { DatasetRef, NodeOutput } from '../src/model/state';
import type { NodeStatuses } from './node-statuses';
import type { Unit } from './units';

export class PartitionBook {
  /** Partitions running now, by unit key (only units with some). */
  private readonly running = new Map<string, number>();
  private readonly forms = new Map<string, string | undefined>();

  constructor(
    private readonly nodes: NodeStatuses,
    private readonly changed: () => void,
  ) {}

  /** Whether the unit fans out into partitions (its first node is partitioned). */
  isPartitioned(unit: Unit): boolean {
    if (!this.forms.has(unit.key)) this.forms.set(unit.key, partitionForm(this.nodes.node(unit.key)));
    return this.forms.get(unit.key) !== undefined;
  }

  progress(unit: Unit): PartitionProgress | undefined {
    return this.nodes.partitions(unit.key);
  }

  /** The listing came back: every partition is still to run. */
  listed(unit: Unit, listing: ListPartitionsResult): PartitionProgress {
    const progress = startProgress(listing);
    this.nodes.setPartitions(unit.key, progress);
    this.changed();
    return progress;
  }

  /** The unit starts again (resume, continue-as-new, an operator's retry): failed partitions will run again. */
  restarted(unit: Unit): void {
    this.update(unit, () => ({ running: 0, failed: 0, failures: undefined }));
  }

  started(unit: Unit): void {
    this.running.set(unit.key, (this.running.get(unit.key) ?? 0) + 1);
    this.update(unit, (p) => ({ running: p.running + 1 }));
  }

  /** A partition succeeded: it is done, its stats add to the unit's. */
  done(unit: Unit, index: number, result: RunNodeResult): void {
    this.stopped(unit);
    const outputs = result.outputs ?? { [unit.key]: result.output };
    this.update(unit, (p) => ({
      done: p.done + 1,
      running: p.running - 1,
      completed: addCompleted(p.completed, index),
      stats: addStats(p.stats, outputs),
    }));
  }

  /** A partition failed after its retries. */
  failed(unit: Unit, failure: FailedPartition): void {
    this.stopped(unit);
    this.update(unit, (p) => ({
      running: p.running - 1,
      failed: p.failed + 1,
      failures: [...(p.failures ?? []), failure],
    }));
  }

  /** A partition was cancelled: it runs again when the unit does. */
  cancelled(unit: Unit): void {
    this.stopped(unit);
    this.update(unit, (p) => ({ running: p.running - 1 }));
  }

  /** Whether every partition of the unit is done. */
  complete(unit: Unit): boolean {
    const p = this.progress(unit);
    return p !== undefined && p.done >= p.count;
  }

  /** The activities running for partitioned units beyond the one slot each holds as a running unit. */
  extraSlots(): number {
    let extra = 0;
    for (const n of this.running.values()) extra += Math.max(0, n - 1);
    return extra;
  }

  /** Running partitions of a unit. */
  runningOf(unit: Unit): number {
    return this.running.get(unit.key) ?? 0;
  }

  /** The unit's result once every partition is done: each member's stats summed; the last member's dataset. */
  result(unit: Unit, dataset: DatasetRef | undefined, attempt: number): RunNodeResult {
    const p = this.progress(unit);
    const outputs: Record<string, NodeOutput> = {};
    const last = unit.members[unit.members.length - 1] as string;
    for (const id of unit.members) outputs[id] = { stats: { ...(p?.stats[id] ?? {}) } };
    const rows = p?.stats[last]?.rowsWritten;
    if (dataset) outputs[last] = { ...outputs[last], dataset: { ...dataset, ...(rows !== undefined ? { rows } : {}) } };
    const output = outputs[last] ?? {};
    return { output, ...(unit.members.length > 1 ? { outputs } : {}), attempt };
  }

  private stopped(unit: Unit): void {
    const n = (this.running.get(unit.key) ?? 1) - 1;
    if (n > 0) this.running.set(unit.key, n);
    else this.running.delete(unit.key);
  }

  private update(unit: Unit, change: (p: PartitionProgress) => Partial<PartitionProgress>): void {
    const p = this.progress(unit);
    if (!p) return;
    const next = { ...p, ...change(p) };
    if (next.failures === undefined) delete (next as { failures?: unknown }).failures;
    this.nodes.setPartitions(unit.key, next);
    this.changed();
  }
}
