/** Writes a row stream to a CSV, NDJSON or GeoJSON file atomically: the file appears whole on success, never in part. */
import type { RowChunk } from '../rows/batch';
import type { ColumnSpec } from '../../model/columns/columns';
import type { FileFormat } from '../../model/nodes/sink-file';
import { openAtomicFile, removeEarlierTemps, type TempOwner } from './atomic-file';
import { csvHeader, encodeCsvRows, encodeNdjsonRows, type RowTextEncoder } from '../formats/file-encoders';
import { createFeatureEncoder, type FeatureColumns } from '../formats/geojson-encoder';

export interface FileSinkOptions {
  readonly header?: boolean;
  readonly delimiter?: string;
  /** GeoJSON formats: which columns are the geometry and the id (required for them). */
  readonly features?: FeatureColumns;
  readonly signal?: AbortSignal;
  /** The job writing the file: its earlier attempts' temp files are removed first. */
  readonly owner?: TempOwner;
  /** Called after each chunk with the rows written so far. */
  onChunk?(rows: number): void;
}

function encoderOf(format: FileFormat, columns: readonly ColumnSpec[], options: FileSinkOptions): RowTextEncoder {
  switch (format) {
    case 'csv':
      return {
        head: options.header !== false ? csvHeader(columns, options.delimiter) : '',
        rows: (rows) => encodeCsvRows(rows, options.delimiter),
        tail: '',
      };
    case 'ndjson':
      return { head: '', rows: (rows) => encodeNdjsonRows(rows, columns), tail: '' };
    case 'geojson':
    case 'geojsonseq':
      if (!options.features) throw new Error(`format ${format} needs the geometry column`);
      return createFeatureEncoder(columns, options.features, format === 'geojson' ? 'collection' : 'sequence');
  }
}

export async function writeRowsToFile(
  target: string,
  format: FileFormat,
  columns: readonly ColumnSpec[],
  chunks: AsyncIterable<RowChunk>,
  options: FileSinkOptions = {},
): Promise<{ rows: number; bytes: number }> {
  const encoder = encoderOf(format, columns, options);
  if (options.owner) await removeEarlierTemps(target, options.owner);
  const file = openAtomicFile(target, options.owner);
  let rows = 0;
  try {
    if (encoder.head) await file.write(encoder.head);
    for await (const chunk of chunks) {
      options.signal?.throwIfAborted();
      await file.write(encoder.rows(chunk.rows));
      rows += chunk.rows.length;
      options.onChunk?.(rows);
    }
    options.signal?.throwIfAborted();
    if (encoder.tail) await file.write(encoder.tail);
  } catch (err) {
    await file.abort();
    throw err;
  }
  return { rows, bytes: await file.commit() };
}
