/**
 * The one reader under every text format (CSV, NDJSON, COPY text): pulls bytes from a source, decodes UTF-8 (a
 * character split across reads included), hands the text to the format's parser and yields the row chunks it
 * completed. Pulled on demand, so reading never runs ahead of the consumer by more than one read.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { RowChunk } from '../rows/batch';

/**
 * Bytes per read, from a file or a COPY stream. Small reads keep few rows alive at once, so they die young instead of
 * being promoted to the old generation.
 */
export const READ_CHUNK_BYTES = 64 * 1024;

/** A text format's parser: text in (in pieces of any size), row chunks out. */
export interface TextParser {
  /** Parses as many complete records as the text seen so far holds. */
  push(text: string): void;
  /** The input ended: the last record may lack its line break. */
  end(): void;
  /** Removes and returns the chunks completed so far. */
  takeChunks(): RowChunk[];
}

/** The row chunks `parser` makes of the UTF-8 bytes (or strings) of `source`. */
export async function* readChunks(
  source: AsyncIterable<Buffer | string>,
  parser: TextParser,
): AsyncGenerator<RowChunk> {
  const decoder = new StringDecoder('utf8');
  for await (const piece of source) {
    parser.push(typeof piece === 'string' ? piece : decoder.write(piece));
    yield* parser.takeChunks();
  }
  parser.push(decoder.end());
  parser.end();
  yield* parser.takeChunks();
}

/** A byte range `[start, end)` of a file. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** The bytes of the file at `path` (or of its `range`, which must not be empty), in reads of {@link READ_CHUNK_BYTES}. */
export const readFileBytes = (path: string, range?: ByteRange): fs.ReadStream =>
  fs.createReadStream(path, {
    highWaterMark: READ_CHUNK_BYTES,
    ...(range ? { start: range.start, end: range.end - 1 } : {}),
  });

/**
 * Pushes the text of the file at `path` into `scanner` until `enough()` (checked after each piece), ending the scanner
 * when the file ends first: the sampling under the inference of columns, which reads only the first records.
 */
export async function scanFilePrefix(
  path: string,
  scanner: { push(text: string): void; end(): void },
  enough: () => boolean,
): Promise<void> {
  const bytes = readFileBytes(path);
  const decoder = new StringDecoder('utf8');
  try {
    for await (const piece of bytes) {
      scanner.push(decoder.write(piece as Buffer));
      if (enough()) return;
    }
    scanner.push(decoder.end());
    scanner.end();
  } finally {
    bytes.destroy();
  }
}
