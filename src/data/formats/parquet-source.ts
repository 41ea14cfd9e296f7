/**
 * Rows of a Parquet file, one row group at a time: a row group's selected columns are decoded (byte ranges read from
 * the file on demand), turned into row chunks as the consumer pulls them, and only then is the next group read, so
 * memory follows the largest row group, never the file. Values become text by their column's Parquet type
 * (parquet-types.ts); 64-bit integers, decimals and timestamps stay exact.
 */
import type { ColumnData, FileMetaData, ParquetParsers, SchemaElement } from 'hyparquet';
import type { FieldValue } from '../../model/columns/columns';
import type { RowChunk } from '../rows/batch';
import { ChunkBuilder } from '../rows/chunk-builder';
import { openParquetFileBuffer, type ParquetFileBuffer } from './parquet-file';
import { loadHyparquet, type HyparquetLib } from './parquet-lib';
import { ParquetColumnError, parquetColumn, type ParquetColumn } from './parquet-types';
import { bytesText, dateText, timestampText } from './parquet-values';

/** Thrown when the file is not Parquet, is truncated, or a page cannot be decoded. */
export class ParquetFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParquetFormatError';
  }
}

export interface ParquetReaderOptions {
  /** The top-level columns to read, by their names in the file; default all. */
  readonly select?: readonly string[];
  /** Rows per chunk handed downstream. */
  readonly chunkRows?: number;
}

/** An open Parquet file: its columns, its row count, and its rows as chunks (read once). */
export interface ParquetReader {
  readonly columns: readonly ParquetColumn[];
  readonly rowCount: number;
  chunks(): AsyncGenerator<RowChunk>;
  close(): Promise<void>;
}

// Dates and timestamps nested in lists and structs (and INT96) as text from their integer counts; JSON left as text
// for the column check to parse.
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (n) => timestampText(BigInt(n), 1_000n),
  timestampFromMicroseconds: (n) => timestampText(BigInt(n), 1_000_000n),
  timestampFromNanoseconds: (n) => timestampText(BigInt(n), 1_000_000_000n),
  dateFromDays: (days) => dateText(days),
  jsonFromBytes: (bytes) => bytes && bytesText(bytes),
};

const NEEDS_ESCAPING = /[\t\n\r\\\0]/;

/** Opens the Parquet file at `path`: reads its footer and maps its columns (throws for unmapped ones). */
export async function openParquetFile(path: string, options: ParquetReaderOptions = {}): Promise<ParquetReader> {
  const lib = await loadHyparquet();
  const file = await openParquetFileBuffer(path);
  try {
    const metadata = await lib.parquetMetadataAsync(file).catch((err: unknown) => {
      throw new ParquetFormatError(`is not a Parquet file, or is truncated: ${(err as Error).message}`);
    });
    const top = lib.parquetSchema(metadata).children;
    const byName = new Map(top.map((n) => [n.element.name, n]));
    const select = options.select ?? top.map((n) => n.element.name);
    const missing = select.filter((s) => !byName.has(s));
    if (missing.length > 0)
      throw new ParquetColumnError(
        missing[0] as string,
        `not in the file (its columns: ${[...byName.keys()].join(', ')})`,
      );
    const columns = select.map((s) => parquetColumn(byName.get(s)!));
    return {
      columns,
      rowCount: Number(metadata.num_rows),
      chunks: () => readGroups(lib, file, withReadSchema(metadata, columns), columns, options.chunkRows ?? 1024),
      close: () => file.close(),
    };
  } catch (err) {
    await file.close();
    throw err;
  }
}

/** The metadata to read with: each top-level column's element as it says to read it (see `ParquetColumn.readAs`). */
function withReadSchema(metadata: FileMetaData, columns: readonly ParquetColumn[]): FileMetaData {
  const readAs = new Map(columns.filter((c) => c.readAs).map((c) => [c.source, c.readAs!]));
  if (readAs.size === 0) return metadata;
  const schema = metadata.schema.slice();
  // Only the root's direct children are top-level columns (a nested element may share a top-level name).
  for (let i = 1; i < schema.length; i += subtreeSize(schema, i)) {
    const plain = readAs.get(schema[i]!.name);
    if (plain) schema[i] = plain;
  }
  return { ...metadata, schema };
}

/** How many elements the flattened schema spends on the element at `i` and its descendants. */
function subtreeSize(schema: readonly SchemaElement[], i: number): number {
  let pending = schema[i]?.num_children ?? 0;
  let j = i + 1;
  for (; pending > 0 && j < schema.length; j++) pending += (schema[j]?.num_children ?? 0) - 1;
  return j - i;
}

/** The rows of every row group as chunks, a group decoded at a time (its pages may span it whole). */
async function* readGroups(
  lib: HyparquetLib,
  file: ParquetFileBuffer,
  metadata: FileMetaData,
  columns: readonly ParquetColumn[],
  chunkRows: number,
): AsyncGenerator<RowChunk> {
  const chunks = new ChunkBuilder(chunkRows);
  const names = columns.map((c) => c.source);
  const escapable = columns.map((c) => c.mayNeedEscaping);
  const groups = metadata.row_groups;
  let start = 0;
  for (let g = 0; g < groups.length; g++) {
    const end = start + Number(groups[g]!.num_rows);
    const pages = new Map<string, ColumnData[]>(names.map((n) => [n, []]));
    await lib
      .parquetRead({
        file,
        metadata,
        columns: names,
        rowStart: start,
        rowEnd: end,
        compressors: lib.compressors,
        utf8: false,
        parsers: PARSERS,
        onChunk: (c) => pages.get(c.columnName)?.push(c),
      })
      .catch((err: unknown) => {
        const where = `row group ${g + 1} of ${groups.length} (rows ${start + 1} to ${end})`;
        throw new ParquetFormatError(`cannot decode ${where}: ${(err as Error).message}`);
      });
    const cursors = names.map((n) => new ColumnCursor(pages.get(n)!));
    pages.clear();
    for (let r = start; r < end; r++) {
      const row = new Array<FieldValue>(columns.length);
      for (let c = 0; c < columns.length; c++) {
        const v = columns[c]!.text(cursors[c]!.at(r));
        if (v !== null && escapable[c] && NEEDS_ESCAPING.test(v)) chunks.markUnclean();
        row[c] = v;
      }
      chunks.row(row, r + 1);
      const ready = chunks.take();
      for (const chunk of ready) yield chunk;
    }
    start = end;
  }
  chunks.flush();
  yield* chunks.take();
}

/** Sequential access by absolute row number to one column's decoded pages. */
class ColumnCursor {
  private page = 0;
  constructor(private readonly pages: ColumnData[]) {
    pages.sort((a, b) => a.rowStart - b.rowStart);
  }

  at(row: number): unknown {
    let p = this.pages[this.page];
    while (p && row >= p.rowEnd) p = this.pages[++this.page];
    if (!p || row < p.rowStart) throw new ParquetFormatError(`no value decoded for row ${row}`);
    return p.columnData[row - p.rowStart];
  }
}
