/**
 * `source.csv` `split`: one CSV file read as byte ranges aligned to record boundaries, one partition each.
 *
 * How a part finds its first record: the planner (in an activity) reads the file once, from its start, with a byte
 * scan that follows the parser's quoting rules (csv-record-starts.ts: quote parity with doubled quotes, a quote opening
 * a field only at the field's start, the file's own quote and delimiter, a UTF-8 BOM, the header record). For each
 * nominal split point `i * size / N` it takes the first record start at or after that point, and records the line
 * number there. A record start is only ever known from the scan from the file's start: a line break inside a quoted
 * field looks like any other, so no reader guesses from the middle of the file. Parts are `[start, end)`, each ending
 * where the next starts; split points that land on the same record (more parts than records) make one part.
 *
 * A part's reader reads exactly the records that start in its range: part 0 from offset 0 as the whole file is read;
 * a later part from its start, with the header taken from the file's first record and lines numbered from the part's
 * `firstLine`, so rejects name the same line as a read of the whole file.
 */
import fs from 'node:fs/promises';
import { InputFileError } from '../errors';
import type { CsvOptionsInput } from '../formats/csv-options';
import { readCsvFile, type CsvReader } from '../formats/csv-source';
import { byteSize, type ByteSizeInput } from '../../model/byte-size';
import { MAX_PARTS } from '../../model/nodes/partition-params';
import { CsvRecordStarts } from './csv-record-starts';

/** How to split: a number of parts, or a target size per part (`64MB`). */
export type CsvSplit = { readonly parts: number } | { readonly partSize: ByteSizeInput };

/** The dialect the split must agree with the reader on (the same values the node's reader gets). */
export interface CsvSplitDialect {
  readonly header?: boolean;
  readonly delimiter?: string;
  readonly quote?: string;
  readonly skipEmptyLines?: boolean;
}

/** One part of a split file: small, it may travel in workflow history. */
export interface CsvPart {
  readonly kind: 'byte-range';
  /** What the status shows for the part: `bytes 0-1048575 from line 1`. */
  readonly name: string;
  /** 0-based, in file order. */
  readonly index: number;
  /** First byte: 0, or the first byte of a record. */
  readonly start: number;
  /** Byte after the part: the next part's start, or the file's size. */
  readonly end: number;
  /** 1-based line on which the part's first record starts, as reject messages number lines. */
  readonly firstLine: number;
  /** The file's size when it was split; a reader of a file of another size fails. */
  readonly fileSize: number;
}

/** Every part of a file, in order; at least one (an empty file has one empty part). */
export interface CsvRangePlan {
  readonly fileSize: number;
  readonly parts: readonly CsvPart[];
}

/** Progress and cancellation of the planner's scan (an activity heartbeats from `onProgress`). */
export interface CsvScanControl {
  readonly signal?: AbortSignal;
  /** Called after each read with the bytes scanned so far. */
  onProgress?(bytes: number): void;
}

/** Bytes per read of the planner's scan. */
const SCAN_BYTES = 1024 * 1024;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Splits the CSV file at `path` into parts aligned to record boundaries (see the file header). Reads the file once,
 * from its start up to the last part's start; `path` should be the resolved, checked path (`checkReadableFile`).
 */
export async function planCsvRanges(
  path: string,
  split: CsvSplit,
  dialect: CsvSplitDialect = {},
  control: CsvScanControl = {},
): Promise<CsvRangePlan> {
  const { size } = await fs.stat(path);
  return planCsvRangesAt(path, splitPoints(size, partCount(size, split)), dialect, control);
}

/**
 * Like {@link planCsvRanges}, with the nominal split points given (ascending byte offsets): each part after the first
 * starts at the first record start at or after its point.
 */
export async function planCsvRangesAt(
  path: string,
  points: readonly number[],
  dialect: CsvSplitDialect = {},
  control: CsvScanControl = {},
): Promise<CsvRangePlan> {
  const handle = await fs.open(path, 'r');
  try {
    const { size } = await handle.stat();
    const starts = [{ offset: 0, line: 1 }];
    if (points.length > 0) await scanStarts(handle, size, dialect, points, starts, control);
    // Split points on the same record, or after the last one, make no part of their own.
    const kept = starts.filter((s, i) => i === 0 || (s.offset < size && s.offset !== starts[i - 1]?.offset));
    const parts = kept.map((s, index): CsvPart => {
      const end = kept[index + 1]?.offset ?? size;
      const name = `bytes ${s.offset}-${Math.max(s.offset, end - 1)} from line ${s.line}`;
      return { kind: 'byte-range', name, index, start: s.offset, end, firstLine: s.line, fileSize: size };
    });
    return { fileSize: size, parts };
  } finally {
    await handle.close();
  }
}

/** How many parts `split` asks of a file of `size` bytes (a part size is raised so there are at most MAX_PARTS). */
export function partCount(size: number, split: CsvSplit): number {
  const n = 'parts' in split ? split.parts : Math.ceil(size / byteSize(split.partSize));
  return Math.max(1, Math.min(MAX_PARTS, n));
}

/** The nominal split points `i * size / parts` for i in 1..parts-1. */
function splitPoints(size: number, parts: number): number[] {
  const points: number[] = [];
  for (let i = 1; i < parts; i++) points.push(Math.floor((i * size) / parts));
  return points;
}

/** Appends to `starts` the first record start after the header at or after each target, until every target has one. */
async function scanStarts(
  handle: fs.FileHandle,
  size: number,
  dialect: CsvSplitDialect,
  targets: readonly number[],
  starts: Array<{ offset: number; line: number }>,
  control: CsvScanControl,
): Promise<void> {
  const skipEmpty = dialect.skipEmptyLines ?? true;
  let needHeader = dialect.header ?? true;
  let t = 0;
  const buf = Buffer.allocUnsafe(SCAN_BYTES);
  const first = await handle.read(buf, 0, BOM.length, 0);
  const bom = first.bytesRead === BOM.length && buf.subarray(0, BOM.length).equals(BOM) ? BOM.length : 0;
  const scanner = new CsvRecordStarts(
    asciiByte(dialect.quote ?? '"', 'quote'),
    asciiByte(dialect.delimiter ?? ',', 'delimiter'),
    bom,
    (offset, line, endedEmpty) => {
      if (needHeader) {
        // The header is the first record (after blank lines the parser skips); parts start after it.
        if (!(endedEmpty && skipEmpty)) needHeader = false;
        return;
      }
      for (; t < targets.length && (targets[t] as number) <= offset; t++) starts.push({ offset, line });
    },
  );
  while (t < targets.length && scanner.offset < size) {
    control.signal?.throwIfAborted();
    const want = Math.min(SCAN_BYTES, size - scanner.offset);
    const { bytesRead } = await handle.read(buf, 0, want, scanner.offset);
    if (bytesRead === 0) break;
    scanner.push(buf.subarray(0, bytesRead));
    control.onProgress?.(scanner.offset);
  }
  // Split points after the last record start make no part (the caller drops starts at the file's end).
  for (; t < targets.length; t++) starts.push({ offset: scanner.offset, line: 0 });
}

function asciiByte(c: string, what: string): number {
  const code = c.charCodeAt(0);
  if (c.length !== 1 || code >= 0x80)
    throw new Error(`split needs a one-character ASCII ${what}, not ${JSON.stringify(c)}`);
  return code;
}

/**
 * A reader of one part of a split file: the records that start in `part` (see the file header). Fails with an
 * {@link InputFileError} naming `nodeId` when the file's size is no longer the one it was split at.
 */
export async function readCsvPart(
  nodeId: string,
  path: string,
  part: CsvPart,
  options: CsvOptionsInput = {},
): Promise<CsvReader> {
  const { size } = await fs.stat(path);
  if (size !== part.fileSize)
    throw new InputFileError(
      nodeId,
      path,
      `changed while it was read in parts (split at ${part.fileSize} bytes, now ${size}); run the node again to split it anew`,
    );
  return readCsvFile(path, options, part);
}
