/**
 * Rows from the features of a GeoJSON file (a FeatureCollection or a GeoJSON text sequence), pulled on demand like
 * the CSV, NDJSON and JSON readers: the splitter finds each feature's text in constant memory, `JSON.parse` reads it,
 * and {@link FeatureRows} makes its row. A feature that does not fit is a reject; in a FeatureCollection, text that
 * is not JSON fails the read with the byte offset (in a sequence, such a line is a reject).
 */
import type { RowChunk } from '../rows/batch';
import { ChunkBuilder } from '../rows/chunk-builder';
import { readChunks, readFileBytes, type TextParser } from './chunk-reader';
import { FeatureRows, type FeatureRowLayout } from './geojson-feature-rows';
import { createFeatureSplitter, type FeatureSplitter, type GeojsonLayout } from './geojson-features';

/** Records per chunk and the longest feature, as the JSON reader has them. */
const CHUNK_ROWS = 5000;
const MAX_FEATURE_CHARS = 64 * 1024 * 1024;

export interface GeojsonReaderOptions extends FeatureRowLayout {
  readonly layout: GeojsonLayout;
  readonly chunkRows?: number;
}

export class GeojsonParser implements TextParser {
  private readonly splitter: FeatureSplitter;
  private readonly rows: FeatureRows;
  private readonly chunks: ChunkBuilder;
  private index = 0;

  constructor(private readonly options: GeojsonReaderOptions) {
    this.rows = new FeatureRows(options);
    this.chunks = new ChunkBuilder(options.chunkRows ?? CHUNK_ROWS);
    this.splitter = createFeatureSplitter(options.layout, (text, line) => this.feature(text, line), MAX_FEATURE_CHARS);
  }

  push(text: string): void {
    this.splitter.push(text);
  }

  end(): void {
    this.splitter.end();
    this.chunks.flush();
  }

  takeChunks(): RowChunk[] {
    return this.chunks.take();
  }

  private feature(text: string, line: number): string | undefined {
    const r = this.rows.read(text, this.index);
    if (r.reason !== undefined) {
      if (r.syntax && this.options.layout === 'collection') return r.reason;
      this.index++;
      this.chunks.reject(line, text, r.reason);
      return undefined;
    }
    this.index++;
    // JSON strings hold no raw tab, CR or LF: only an escape (a backslash) can put one in a value.
    if (text.includes('\\')) this.chunks.markUnclean();
    this.chunks.row(r.row, line);
    return undefined;
  }
}

/** The row chunks of the GeoJSON file at `path`, read in 64 KiB pieces. */
export function readGeojsonFile(path: string, options: GeojsonReaderOptions): AsyncGenerator<RowChunk> {
  return readChunks(readFileBytes(path), new GeojsonParser(options));
}
