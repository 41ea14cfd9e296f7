/**
 * The text of each feature of a GeoJSON file, in constant memory: a FeatureCollection's `features` array through the
 * JSON array scanner, or a GeoJSON text sequence (RFC 8142: one feature per line, each optionally after the record
 * separator 0x1E; RFC 7464 sequences and newline-delimited GeoJSON read the same). Each feature is left to JSON.parse.
 */
import { JsonArrayScanner, JsonFormatError, type RecordSink } from './json-array-scanner';

/** How a GeoJSON file holds its features. */
export const GEOJSON_LAYOUTS = ['collection', 'sequence'] as const;
export type GeojsonLayout = (typeof GEOJSON_LAYOUTS)[number];

const RS = 0x1e;
const SEQUENCE_EXTENSION = /\.(geojsons|geojsonl|geojsonseq|ndgeojson|jsonl|ndjson)$/i;

/** The layout of a file: a sequence when its name says so or its first character is RS, else a FeatureCollection. */
export function layoutOf(path: string, firstText: string): GeojsonLayout {
  if (SEQUENCE_EXTENSION.test(path)) return 'sequence';
  const t = firstText.replace(/^\uFEFF/, '').trimStart();
  return t.charCodeAt(0) === RS ? 'sequence' : 'collection';
}

/** Splits pushed text into features; `sink` gets each feature's text and the line it starts on. */
export interface FeatureSplitter {
  push(text: string): void;
  end(): void;
}

/** The splitter for `layout`. */
export function createFeatureSplitter(layout: GeojsonLayout, sink: RecordSink, maxChars: number): FeatureSplitter {
  return layout === 'collection'
    ? new JsonArrayScanner(['features'], sink, maxChars)
    : new SequenceSplitter(sink, maxChars);
}

class SequenceSplitter implements FeatureSplitter {
  private rest = '';
  private line = 0;
  private bytes = 0;

  constructor(
    private readonly sink: RecordSink,
    private readonly maxChars: number,
  ) {}

  push(text: string): void {
    const buf = this.rest + text;
    let start = 0;
    for (let nl = buf.indexOf('\n', start); nl >= 0; nl = buf.indexOf('\n', start)) {
      this.take(buf.slice(start, nl));
      start = nl + 1;
    }
    this.rest = buf.slice(start);
    if (this.rest.length > this.maxChars)
      throw new JsonFormatError(this.bytes, `a feature longer than ${this.maxChars} characters`);
  }

  end(): void {
    if (this.rest.length > 0) this.take(this.rest);
    this.rest = '';
  }

  private take(raw: string): void {
    this.line++;
    const at = this.bytes;
    this.bytes += Buffer.byteLength(raw, 'utf8') + 1;
    let s = 0;
    let e = raw.length;
    // RS, a BOM on the first line, and surrounding whitespace (a CR of CRLF) are not part of the feature.
    while (s < e && (raw.charCodeAt(s) === RS || raw.charCodeAt(s) <= 32 || raw.charCodeAt(s) === 0xfeff)) s++;
    while (e > s && raw.charCodeAt(e - 1) <= 32) e--;
    if (s === e) return;
    const problem = this.sink(raw.slice(s, e), this.line);
    if (problem !== undefined) throw new JsonFormatError(at, `line ${this.line} is not JSON (${problem})`);
  }
}
