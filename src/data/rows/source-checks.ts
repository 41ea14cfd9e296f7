/**
 * What every source does with the chunks it reads: checks their rows against the declared columns (rows that fail
 * become rejects of the source), counts the records and rejects against `maxRejects`, and counts the rows passed on.
 */
import type { RowChunk } from './batch';
import { type ColumnSpec } from '../../model/columns/columns';
import { compileWorkerRowCheck } from './row-check';
import type { MaxRejects } from '../../model/max-rejects';
import { validateChunk } from './validate-chunk';
import { RejectGate, tagRejects } from './reject-gate';

export class SourceChecks {
  private readonly check;
  private readonly gate: RejectGate;
  private rows = 0;

  constructor(
    private readonly nodeId: string,
    columns: readonly ColumnSpec[],
    maxRejects: MaxRejects,
  ) {
    this.check = compileWorkerRowCheck(columns);
    this.gate = new RejectGate(nodeId, maxRejects);
  }

  /** Checks `chunk` in place and counts it; throws once the rejects pass a count limit. */
  apply(chunk: RowChunk): RowChunk {
    const out = validateChunk(chunk, this.check);
    if (out.rejects.length > 0) out.rejects = tagRejects(out.rejects, this.nodeId);
    this.gate.count(out.recordCount, out.rejects);
    this.rows += out.rows.length;
    return out;
  }

  /**
   * The chunks of `source` (starting with `first` when one was already read), each checked as {@link apply} does;
   * an error while reading or checking goes through `fail`; {@link finish} once the source ends.
   */
  async *checked(
    source: AsyncIterator<RowChunk>,
    fail: (err: unknown) => never,
    first?: IteratorResult<RowChunk>,
  ): AsyncGenerator<RowChunk> {
    try {
      for (let r = first ?? (await source.next()); !r.done; r = await source.next()) yield this.apply(r.value);
    } catch (err) {
      fail(err);
    }
    this.finish();
  }

  /** At the end of the input: throws if the rejects pass a ratio limit. */
  finish(): void {
    this.gate.finish();
  }

  /** The source's row stats so far. */
  stats(): { rowsRead: number; rowsRejected: number; rows: number } {
    const { records, rejected } = this.gate.totals;
    return { rowsRead: records, rowsRejected: rejected, rows: this.rows };
  }
}
