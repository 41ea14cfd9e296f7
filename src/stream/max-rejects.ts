/**
 * The `maxRejects` threshold: how many malformed rows a node tolerates before it fails (non-retryably:
 * the same input would be rejected again).
 */
import { z } from 'zod';
import type { RowReject } from './batch';

/** Zod schema: a count (`5`) or a ratio of the records read (`{ ratio: 0.01 }`); default 0. */
export const MaxRejectsSchema = z
  .union([z.number().int().min(0), z.object({ ratio: z.number().min(0).max(1) }).strict()])
  .default(0);
/** A `maxRejects` setting. */
export type MaxRejects = z.output<typeof MaxRejectsSchema>;

/** How many reasons an error quotes. */
export const QUOTED_REASONS = 5;

/** Running totals for the threshold check. */
export interface RejectTally {
  records: number;
  rejected: number;
  /** The first few rejects (line and reason), for the error message. */
  readonly first: { lineNo: number; reason: string }[];
}

/** A fresh tally. */
export function newRejectTally(): RejectTally {
  return { records: 0, rejected: 0, first: [] };
}

/** Adds a chunk's records and rejects to `tally`. */
export function addToTally(tally: RejectTally, records: number, rejects: readonly RowReject[]): void {
  tally.records += records;
  tally.rejected += rejects.length;
  for (const r of rejects) {
    if (tally.first.length >= QUOTED_REASONS) break;
    tally.first.push({ lineNo: r.lineNo, reason: r.reason });
  }
}

/** Thrown when a load rejected more rows than `maxRejects` allows. */
export class TooManyRejectsError extends Error {
  readonly rejected: number;
  readonly records: number;
  readonly first: readonly { lineNo: number; reason: string }[];

  constructor(
    tally: RejectTally,
    readonly limit: MaxRejects,
  ) {
    const allowed = typeof limit === 'number' ? `${limit}` : `${limit.ratio * 100}% of records`;
    const reasons = tally.first.map((r) => `line ${r.lineNo}: ${r.reason}`).join('; ');
    super(`${tally.rejected} of ${tally.records} rows rejected (maxRejects allows ${allowed}); first: ${reasons}`);
    this.name = 'TooManyRejectsError';
    this.rejected = tally.rejected;
    this.records = tally.records;
    this.first = [...tally.first];
  }
}

/**
 * Throws {@link TooManyRejectsError} when `tally` exceeds `limit`. A count is checked at any time; a ratio
 * only when `final`, since it is only meaningful over the whole input.
 */
export function checkRejects(tally: RejectTally, limit: MaxRejects, final: boolean): void {
  const over =
    typeof limit === 'number' ? tally.rejected > limit : final && tally.rejected > limit.ratio * tally.records;
  if (over) throw new TooManyRejectsError(tally, limit);
}
