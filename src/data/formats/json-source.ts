/**
 * Rows from the array of records in a JSON file, pulled on demand like the CSV and NDJSON readers: the scanner finds
 * each record's text in constant memory, `JSON.parse` reads it, and the declared columns are taken from it by key
 * (as `source.ndjson` takes them from a line). A record that is not an object, or whose value does not fit its
 * column, is a reject; a file that is not JSON fails the read with the byte offset.
 */
import type { z } from 'zod';
import type { RowChunk } from '../rows/batch';
import { ChunkBuilder } from '../rows/chunk-builder';
import { readChunks, readFileBytes, type TextParser } from './chunk-reader';
import { JsonArrayScanner } from './json-array-scanner';
import { JsonRecordText } from './json-record-text';
import type { RecordColumn } from './json-records';
import { NdjsonOptionsSchema } from './ndjson-source';

/** The reader's tuning options: those of the NDJSON reader (records per chunk, the longest record). */
export const JsonOptionsSchema = NdjsonOptionsSchema;

export type JsonReaderOptions = z.input<typeof JsonOptionsSchema> & {
  /** Steps of the path to the records array (`[]` for the document itself). */
  readonly records: ReadonlyArray<string | number>;
  readonly columns: readonly RecordColumn[];
};

/** A JSON document's records as row chunks; lines are the physical lines where records start. */
export class JsonParser implements TextParser {
  private readonly scanner: JsonArrayScanner;
  private readonly records: JsonRecordText;
  private readonly chunks: ChunkBuilder;

  constructor(options: JsonReaderOptions) {
    const opts = JsonOptionsSchema.parse(options);
    this.records = new JsonRecordText(options.columns);
    this.chunks = new ChunkBuilder(opts.chunkRows);
    this.scanner = new JsonArrayScanner(options.records, (text, line) => this.record(text, line), opts.maxRecordChars);
  }

  push(text: string): void {
    this.scanner.push(text);
  }

  end(): void {
    this.scanner.end();
    this.chunks.flush();
  }

  takeChunks(): RowChunk[] {
    return this.chunks.take();
  }

  private record(text: string, line: number): string | undefined {
    const r = this.records.read(text, text.includes('\\'));
    if (r.reason !== undefined) {
      if (r.syntax) return r.reason;
      this.chunks.reject(line, text, r.reason);
      return undefined;
    }
    if (r.unclean) this.chunks.markUnclean();
    this.chunks.row(r.row, line);
    return undefined;
  }
}

/** The row chunks of the JSON file at `path`, read in 64 KiB pieces. */
export function readJsonFile(path: string, options: JsonReaderOptions): AsyncGenerator<RowChunk> {
  return readChunks(readFileBytes(path), new JsonParser(options));
}
