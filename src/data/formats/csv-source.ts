/**
 * CSV rows from a byte stream or a file, pulled on demand so that reading never runs ahead of the consumer.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { RowChunk } from '../rows/batch';
import type { CsvOptionsInput } from './csv-options';
import { CsvParser } from './csv-parser';

/** Size of file reads. Small reads keep few rows alive at once, so they die young instead of being promoted. */
export const CSV_READ_CHUNK_BYTES = 64 * 1024;

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

  async *[Symbol.asyncIterator](): AsyncGenerator<RowChunk> {
    const decoder = new StringDecoder('utf8');
    for await (const chunk of this.source) {
      this.parser.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      yield* this.parser.takeChunks();
    }
    this.parser.push(decoder.end());
    this.parser.end();
    yield* this.parser.takeChunks();
  }
}

/** A reader of the CSV file at `path` (see {@link CsvReader}). */
export function readCsvFile(path: string, options: CsvOptionsInput = {}): CsvReader {
  return new CsvReader(fs.createReadStream(path, { highWaterMark: CSV_READ_CHUNK_BYTES }), options);
}
