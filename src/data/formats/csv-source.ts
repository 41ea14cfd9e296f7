/** CSV rows from a byte stream or a file, through the chunk reader. */
import type { RowChunk } from '../rows/batch';
import { readChunks, readFileBytes } from './chunk-reader';
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
}

/** A reader of the CSV file at `path` (see {@link CsvReader}). */
export function readCsvFile(path: string, options: CsvOptionsInput = {}): CsvReader {
  return new CsvReader(readFileBytes(path), options);
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
