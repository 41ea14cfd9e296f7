/** Writes a row stream to a CSV or NDJSON file atomically: the file appears whole on success, never in part. */
import type { RowChunk } from '../rows/batch';
import type { ColumnSpec } from '../../model/columns/columns';
import { openAtomicFile, removeEarlierTemps, type TempOwner } from './atomic-file';
import { csvHeader, encodeCsvRows, encodeNdjsonRows } from '../formats/file-encoders';

export interface FileSinkOptions {
  readonly header?: boolean;
  readonly delimiter?: string;
  readonly signal?: AbortSignal;
  /** The job writing the file: its earlier attempts' temp files are removed first. */
  readonly owner?: TempOwner;
  /** Called after each chunk with the rows written so far. */
  onChunk?(rows: number): void;
}

export async function writeRowsToFile(
  target: string,
  format: 'csv' | 'ndjson',
  columns: readonly ColumnSpec[],
  chunks: AsyncIterable<RowChunk>,
  options: FileSinkOptions = {},
): Promise<{ rows: number; bytes: number }> {
  if (options.owner) await removeEarlierTemps(target, options.owner);
  const file = openAtomicFile(target, options.owner);
  let rows = 0;
  try {
    if (format === 'csv' && options.header !== false) await file.write(csvHeader(columns, options.delimiter));
    for await (const chunk of chunks) {
      options.signal?.throwIfAborted();
      await file.write(
        format === 'csv' ? encodeCsvRows(chunk.rows, options.delimiter) : encodeNdjsonRows(chunk.rows, columns),
      );
      rows += chunk.rows.length;
      options.onChunk?.(rows);
    }
    options.signal?.throwIfAborted();
  } catch (err) {
    await file.abort();
    throw err;
  }
  return { rows, bytes: await file.commit() };
}
