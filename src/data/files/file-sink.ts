/** Writes a row stream to a CSV or NDJSON file atomically: the file appears whole on success, never in part. */
import type { RowChunk } from '../rows/batch';
import type { ColumnSpec } from '../../model/columns/columns';
import { openAtomicFile } from './atomic-file';
import { csvHeader, encodeCsvRows, encodeNdjsonRows } from '../formats/file-encoders';

export interface FileSinkOptions {
  readonly header?: boolean;
  readonly delimiter?: string;
  readonly signal?: AbortSignal;
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
  const file = openAtomicFile(target);
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
