/**
 * The rows a sink receives, checked against the target's columns: values a typed column cannot take, and
 * NULLs in NOT NULL columns, become rejects of the sink, counted against its `maxRejects`.
 */
import type { RowChunk } from '../rows/batch';
import { type ColumnSpec } from '../../model/columns/columns';
import { compileWorkerRowCheck } from '../rows/row-check';
import { validateChunk } from '../rows/validate-chunk';
import { tagRejects, type RejectGate } from '../rows/reject-gate';

export async function* checkedForTarget(
  chunks: AsyncIterable<RowChunk>,
  checks: readonly ColumnSpec[] | undefined,
  gate: RejectGate,
): AsyncGenerator<RowChunk> {
  const check = checks ? compileWorkerRowCheck(checks) : undefined;
  for await (const chunk of chunks) {
    const rowsIn = chunk.rows.length;
    if (check) {
      const before = chunk.rejects.length;
      validateChunk(chunk, check);
      if (chunk.rejects.length > before) {
        const own = chunk.rejects.filter((r) => r.nodeId === undefined);
        chunk.rejects = tagRejects(chunk.rejects, gate.nodeId);
        gate.count(rowsIn, own);
      } else gate.count(rowsIn, []);
    } else gate.count(rowsIn, []);
    yield chunk;
  }
  gate.finish();
}
