/**
 * A transform stage built from a per-row function: rows the function throws on become rejects of the node
 * (with the input row as raw text), counted against its `maxRejects`; rows it returns undefined for are dropped.
 */
import type { FieldValue, RowChunk, RowReject } from '../../stream/batch';
import { rowRecordNos } from '../../stream/batch';
import type { ColumnSpec } from '../../stream/columns';
import type { MaxRejects } from '../../stream/max-rejects';
import { csvRaw } from '../../stream/validate-chunk';
import { RejectGate } from '../reject-gate';
import type { TransformStage } from '../stages';

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
      const nos = rowRecordNos(chunk);
      const outRows: FieldValue[][] = [];
      const outLines: number[] = [];
      const outNos: number[] = [];
      const added: RowReject[] = [];
      let droppedHere = 0;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as FieldValue[];
        try {
          const next = o.fn(row);
          if (next === undefined) {
            droppedHere += 1;
            continue;
          }
          outRows.push(next);
          outLines.push(lineNos[i] as number);
          outNos.push(nos[i] as number);
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          added.push({
            recordNo: nos[i] as number,
            lineNo: lineNos[i] as number,
            raw: csvRaw(row),
            reason,
            nodeId: o.nodeId,
          });
        }
      }
      chunk.rows = outRows;
      chunk.lineNos = outLines;
      // Record numbers can no longer be inferred from the rejects once rows were dropped.
      if (droppedHere > 0 || chunk.recordNos) chunk.recordNos = outNos;
      if (added.length > 0) chunk.rejects = [...chunk.rejects, ...added].sort((a, b) => a.recordNo - b.recordNo);
      if (o.addsText) chunk.clean = false;
      gate.count(chunk.recordCount, added);
      dropped += droppedHere;
      rowsOut += outRows.length;
      return chunk;
    },
    finish: () => gate.finish(),
    stats: () => ({ rowsIn, rowsOut, rowsDropped: dropped, rowsRejected: gate.totals.rejected }),
  };
}
