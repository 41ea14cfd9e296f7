/**
 * A transform stage built from a per-row function: rows the function throws on become rejects of the node
 * (with the input row as raw text), counted against its `maxRejects`; rows it returns undefined for are dropped.
 */
import type { RowChunk, RowReject } from '../rows/batch';
import type { FieldValue } from '../../model/columns/columns';
import { rowRecordNos } from '../rows/batch';
import type { ColumnSpec } from '../../model/columns/columns';
import type { MaxRejects } from '../../model/max-rejects';
import { csvRaw } from '../rows/validate-chunk';
import { RejectGate } from '../rows/reject-gate';
import type { TransformStage } from '../rows/stream';

/** The new row, or undefined to drop the row (a filter); throws the reason to reject it. */
export type RowFn = (row: FieldValue[]) => FieldValue[] | undefined;

export interface RowStageOptions {
  readonly nodeId: string;
  readonly columns: readonly ColumnSpec[];
  readonly maxRejects: MaxRejects;
  /** Whether output values may need COPY escaping though the input's did not. */
  readonly addsText: boolean;
  readonly fn: RowFn;
}

export function rowStage(o: RowStageOptions): TransformStage {
  const gate = new RejectGate(o.nodeId, o.maxRejects);
  let rowsIn = 0;
  let rowsOut = 0;
  let dropped = 0;
  return {
    columns: o.columns,
    apply(chunk: RowChunk): RowChunk {
      const { rows, lineNos } = chunk;
      rowsIn += rows.length;
      // Rows are replaced in place; only a row dropped or rejected makes the chunk's arrays be rebuilt.
      let gone: Array<{ at: number; reject?: RowReject }> | undefined;
      let nos: number[] | undefined;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as FieldValue[];
        try {
          const next = o.fn(row);
          if (next === undefined) (gone ??= []).push({ at: i });
          else rows[i] = next;
        } catch (err) {
          nos ??= rowRecordNos(chunk);
          const reason = err instanceof Error ? err.message : String(err);
          const reject = {
            recordNo: nos[i] as number,
            lineNo: lineNos[i] as number,
            raw: csvRaw(row),
            reason,
            nodeId: o.nodeId,
          };
          (gone ??= []).push({ at: i, reject });
        }
      }
      const added: RowReject[] = [];
      let droppedHere = 0;
      if (gone) {
        nos ??= rowRecordNos(chunk);
        const keptNos = compactRows(chunk, nos, gone);
        for (const g of gone) if (g.reject) added.push(g.reject);
        droppedHere = gone.length - added.length;
        // Record numbers can no longer be inferred from the rejects once rows were dropped.
        if (droppedHere > 0 || chunk.recordNos) chunk.recordNos = keptNos;
        if (added.length > 0) chunk.rejects = [...chunk.rejects, ...added].sort((a, b) => a.recordNo - b.recordNo);
      }
      if (o.addsText) chunk.clean = false;
      gate.count(chunk.recordCount, added);
      dropped += droppedHere;
      rowsOut += chunk.rows.length;
      return chunk;
    },
    finish: () => gate.finish(),
    stats: () => ({ rowsIn, rowsOut, rowsDropped: dropped, rowsRejected: gate.totals.rejected }),
  };
}

/** Removes rows `gone` (ascending positions) from the chunk; returns the record numbers of the rows kept. */
function compactRows(chunk: RowChunk, nos: readonly number[], gone: ReadonlyArray<{ at: number }>): number[] {
  const { rows, lineNos } = chunk;
  const outRows: FieldValue[][] = [];
  const outLines: number[] = [];
  const outNos: number[] = [];
  let g = 0;
  for (let i = 0; i < rows.length; i++) {
    if (g < gone.length && (gone[g] as { at: number }).at === i) {
      g++;
      continue;
    }
    outRows.push(rows[i] as FieldValue[]);
    outLines.push(lineNos[i] as number);
    outNos.push(nos[i] as number);
  }
  chunk.rows = outRows;
  chunk.lineNos = outLines;
  return outNos;
}
