/** CSV rows from a byte stream or a file, through the chunk reader. */
import type { RowChunk } from '../rows/batch';
import { readChunks, readFileBytes, type ByteRange } from './chunk-reader';
import type { CsvOptionsInput } from './csv-options';
import { CsvParser } from './csv-parser';

/**
 * Parses UTF-8 bytes (or strings) from a source into chunks of rows when iterated. A multi-byte character split
 * across chunks is decoded correctly. Only one chunk is read ahead of the chunk being consumed.
 */
export class CsvReader implements AsyncIterable<RowChunk> {
  private readonly parser: CsvParser;

  constructor(
    private readonly source: AsyncIterable<Buffer | string>,
    options: CsvOptionsInput = {},
  ) {
    this.parser = new CsvParser(options);
  }

  /** The header record, set before the first chunk is yielded (when `header` is on). */
  get header(): readonly string[] | undefined {
    return this.parser.header;
  }

  [Symbol.asyncIterator](): AsyncGenerator<RowChunk> {
    return readChunks(this.source, this.parser);
  }

  /** See {@link CsvParser.startAt}. */
  startAt(line: number, header: string[] | undefined): void {
    this.parser.startAt(line, header);
  }
}

/**
 * A part of a CSV file: the records that start in the byte range `[start, end)`, where `start` is 0 or the start of a
 * record on line `firstLine` (as a split plans it, see src/data/partitions/csv-ranges.ts) and `end` the start of a
 * record or the file's size.
 */
export interface CsvFileRange extends ByteRange {
  readonly firstLine: number;
}

/**
 * A reader of the CSV file at `path` (see {@link CsvReader}), or of the records in its `range`. A range after the
 * file's start takes its header from the file's first record, and numbers lines from `range.firstLine`.
 */
export function readCsvFile(path: string, options: CsvOptionsInput = {}, range?: CsvFileRange): CsvReader {
  if (range === undefined) return new CsvReader(readFileBytes(path), options);
  const { start, end, firstLine } = range;
  const reader: CsvReader = new CsvReader(rangeBytes(), options);
  async function* rangeBytes(): AsyncGenerator<Buffer> {
    if (start > 0) reader.startAt(firstLine, options.header === false ? undefined : await readCsvHeader(path, options));
    if (end > start) yield* readFileBytes(path, range) as AsyncIterable<Buffer>;
  }
  return reader;
}

/**
 * The header record of the CSV file at `path` (undefined for an empty file), read without going further than the
 * read that holds it and the first record after it.
 */
export async function readCsvHeader(path: string, options: CsvOptionsInput = {}): Promise<string[] | undefined> {
  const reader = readCsvFile(path, { ...options, header: true, chunkRows: 1 });
  for await (const _chunk of reader) break;
  return reader.header ? [...reader.header] : undefined;
}
