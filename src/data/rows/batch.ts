/**
 * The unit in which rows move inside an activity: a chunk of a few thousand rows (arrays, not one object per
 * row). Records are numbered by their position in the input (`recordNo`), so the same input always splits
 * into the same commit batches, however it was chunked; resuming after a committed batch depends on that.
 */
import type { FieldValue } from '../../model/columns/columns';

/** A record that could not be read, or whose values failed validation. */
export interface RowReject {
  /** 0-based position of the record in the input (header excluded). */
  readonly recordNo: number;
  /** 1-based physical line in the source where the record starts. */
  readonly lineNo: number;
  /** The record's text (re-encoded from its fields when they could be read). */
  readonly raw: string;
  readonly reason: string;
  /** The node that refused the record, when it is not the one writing the batch (a fused source or transform). */
  readonly nodeId?: string;
}

/** Consecutive records `firstRecord .. firstRecord + recordCount - 1`, split into good rows and rejects. */
export interface RowChunk {
  readonly firstRecord: number;
  readonly recordCount: number;
  /** Good rows, in input order. */
  rows: FieldValue[][];
  /** `lineNos[i]` is the source line where `rows[i]` starts. */
  lineNos: number[];
  /** Rejected records, ordered by `recordNo`. */
  rejects: RowReject[];
  /**
   * The record number of each row, present once a filter dropped records: then rows and rejects no longer add
   * up to `recordCount`, and positions cannot be inferred from the rejects alone.
   */
  recordNos?: number[];
  /**
   * True when no value in `rows` contains a tab, backslash, CR, LF or NUL, so values need no COPY escaping and
   * no NUL check. A transform that adds values must clear it unless its values cannot hold those characters.
   */
  clean: boolean;
}

/** An empty chunk positioned at record `firstRecord`. */
export function emptyChunk(firstRecord: number, clean = true): RowChunk {
  return { firstRecord, recordCount: 0, rows: [], lineNos: [], rejects: [], clean };
}

/** Record numbers of `chunk.rows`, in order (rows and rejects interleave by `recordNo`). */
export function rowRecordNos(chunk: RowChunk): number[] {
  if (chunk.recordNos) return chunk.recordNos;
  const out = new Array<number>(chunk.rows.length);
  let r = 0;
  let ord = chunk.firstRecord;
  for (let i = 0; i < chunk.rows.length; i++) {
    while (r < chunk.rejects.length && chunk.rejects[r]?.recordNo === ord) {
      r++;
      ord++;
    }
    out[i] = ord++;
  }
  return out;
}

/** Splits `chunk` before record number `at`; either side may be empty. */
export function splitChunk(chunk: RowChunk, at: number): [RowChunk, RowChunk] {
  const end = chunk.firstRecord + chunk.recordCount;
  const cut = Math.min(Math.max(at, chunk.firstRecord), end);
  // The common case on the hot path: the whole chunk is on one side, nothing to copy.
  if (cut === end) return [chunk, emptyChunk(end, chunk.clean)];
  if (cut === chunk.firstRecord) return [emptyChunk(cut, chunk.clean), chunk];
  const rejectsBefore = chunk.rejects.filter((r) => r.recordNo < cut);
  const nos = chunk.recordNos;
  const rowsBefore = nos ? countBelow(nos, cut) : cut - chunk.firstRecord - rejectsBefore.length;
  const [nosBefore, nosAfter] = nos
    ? [{ recordNos: nos.slice(0, rowsBefore) }, { recordNos: nos.slice(rowsBefore) }]
    : [{}, {}];
  return [
    {
      firstRecord: chunk.firstRecord,
      recordCount: cut - chunk.firstRecord,
      rows: chunk.rows.slice(0, rowsBefore),
      lineNos: chunk.lineNos.slice(0, rowsBefore),
      rejects: rejectsBefore,
      clean: chunk.clean,
      ...nosBefore,
    },
    {
      firstRecord: cut,
      recordCount: chunk.firstRecord + chunk.recordCount - cut,
      rows: chunk.rows.slice(rowsBefore),
      lineNos: chunk.lineNos.slice(rowsBefore),
      rejects: chunk.rejects.slice(rejectsBefore.length),
      clean: chunk.clean,
      ...nosAfter,
    },
  ];
}

/** How many of the ascending `values` are below `limit`. */
function countBelow(values: readonly number[], limit: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
