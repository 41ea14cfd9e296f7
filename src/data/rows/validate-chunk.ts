/**
 * Applies a row check to every row of a chunk, moving the rows that fail into the chunk's rejects.
 */
import { rowRecordNos, type RowChunk, type RowReject } from './batch';
import type { FieldValue } from '../../model/columns/columns';
import type { RowCheck } from '../../model/columns/columns';
import { formatCsvRecord } from '../formats/csv-format';

/** Turns a row's fields back into text for the rejects table. */
export type FormatRaw = (row: readonly FieldValue[]) => string;

/** The default raw format: a CSV record with `,` and `"`. */
export const csvRaw: FormatRaw = (row) => formatCsvRecord(row.map((f) => f ?? ''));

/** Checks every row of `chunk` in place; failing rows become rejects (kept ordered by record number). */
export function validateChunk(chunk: RowChunk, check: RowCheck, formatRaw: FormatRaw = csvRaw): RowChunk {
  const { rows, clean } = chunk;
  let bad: number[] | undefined;
  let reasons: string[] | undefined;
  for (let i = 0; i < rows.length; i++) {
    const reason = check(rows[i] as FieldValue[], clean);
    if (reason !== undefined) {
      (bad ??= []).push(i);
      (reasons ??= []).push(reason);
    }
  }
  if (bad === undefined || reasons === undefined) return chunk;
  return rejectRows(
    chunk,
    bad,
    reasons,
    bad.map((i) => formatRaw(rows[i] as FieldValue[])),
  );
}

/**
 * Moves rows `bad` (ascending indexes into `chunk.rows`) into the chunk's rejects with their reasons and raw
 * text, keeping rejects ordered by record number. Returns the chunk, changed in place.
 */
export function rejectRows(
  chunk: RowChunk,
  bad: readonly number[],
  reasons: readonly string[],
  raws: readonly string[],
  nodeId?: string,
): RowChunk {
  if (bad.length === 0) return chunk;
  const { rows, lineNos } = chunk;
  const recordNos = rowRecordNos(chunk);
  const added: RowReject[] = bad.map((i, k) => ({
    recordNo: recordNos[i] as number,
    lineNo: lineNos[i] as number,
    raw: raws[k] as string,
    reason: reasons[k] as string,
    ...(nodeId !== undefined ? { nodeId } : {}),
  }));
  const drop = new Set(bad);
  chunk.rows = rows.filter((_, i) => !drop.has(i));
  chunk.lineNos = lineNos.filter((_, i) => !drop.has(i));
  if (chunk.recordNos) chunk.recordNos = chunk.recordNos.filter((_, i) => !drop.has(i));
  chunk.rejects = [...chunk.rejects, ...added].sort((a, b) => a.recordNo - b.recordNo);
  return chunk;
}
