/**
 * A node's `maxRejects`, the one place it is enforced: counts the records the node saw and the ones it refused, and
 * fails the node (non-retryably: the same input would be refused again) once the limit is passed. Sources,
 * transforms and sinks each hold a gate of their own; a load only records the rejects it is handed.
 */
import { FailureType } from '../../engine/failure-types';
import type { RowReject } from './batch';
import type { MaxRejects } from '../../model/max-rejects';
import { InputError } from '../../platform/errors';

/** How many reasons the error quotes. */
const QUOTED_REASONS = 5;

/** Thrown when a node refused more records than its `maxRejects` allows. */
export class RejectLimitError extends InputError {
  constructor(
    readonly nodeId: string,
    readonly rejected: number,
    readonly records: number,
    readonly limit: MaxRejects,
    readonly first: ReadonlyArray<{ lineNo: number; reason: string }>,
  ) {
    const allowed = typeof limit === 'number' ? `${limit}` : `a ratio of ${limit.ratio}`;
    const reasons = first.map((r) => `line ${r.lineNo}: ${r.reason}`).join('; ');
    super(
      `node "${nodeId}": ${rejected} of ${records} records rejected, more than maxRejects allows (${allowed}); ` +
        `first: ${reasons}. The rejects are in the rejects table; fix the input or raise maxRejects`,
    );
    this.name = FailureType.TooManyRejects;
  }
}

export class RejectGate {
  private records = 0;
  private rejected = 0;
  private readonly first: Array<{ lineNo: number; reason: string }> = [];

  constructor(
    readonly nodeId: string,
    readonly limit: MaxRejects,
  ) {}

  /** Counts `records` seen and this node's `rejects`; throws once a count limit is passed. */
  count(records: number, rejects: readonly RowReject[]): void {
    this.records += records;
    this.rejected += rejects.length;
    for (const r of rejects) {
      if (this.first.length >= QUOTED_REASONS) break;
      this.first.push({ lineNo: r.lineNo, reason: r.reason });
    }
    if (typeof this.limit === 'number' && this.rejected > this.limit) throw this.error();
  }

  /** At the end of the input: checks a ratio limit, which only means something over the whole input. */
  finish(): void {
    if (typeof this.limit !== 'number' && this.rejected > this.limit.ratio * this.records) throw this.error();
  }

  get totals(): { readonly records: number; readonly rejected: number } {
    return { records: this.records, rejected: this.rejected };
  }

  private error(): RejectLimitError {
    return new RejectLimitError(this.nodeId, this.rejected, this.records, this.limit, this.first);
  }
}

/** The same rejects, each marked as refused by `nodeId`. */
export const tagRejects = (rejects: readonly RowReject[], nodeId: string): RowReject[] =>
  rejects.map((r) => (r.nodeId === undefined ? { ...r, nodeId } : r));
