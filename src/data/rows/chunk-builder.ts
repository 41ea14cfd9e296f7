/**
 * Collects records into {@link RowChunk}s of a fixed number of records, numbering records as they come.
 */
import type { FieldValue } from '../../model/columns/columns';
import { emptyChunk, type RowChunk } from './batch';

/** Add records with `row` and `reject`; take completed chunks with `take`; `flush` at the end of input. */
export class ChunkBuilder {
  private records = 0;
  private chunk: RowChunk = emptyChunk(0);
  private readonly ready: RowChunk[] = [];

  constructor(private readonly chunkRows: number) {}

  /** Marks the open chunk as holding values that need COPY escaping or a NUL check. */
  markUnclean(): void {
    this.chunk.clean = false;
  }

  /** Adds a good record that starts at line `lineNo`. */
  row(fields: FieldValue[], lineNo: number): void {
    this.chunk.rows.push(fields);
    this.chunk.lineNos.push(lineNo);
    this.counted();
  }

  /** Adds a record that could not be read. */
  reject(lineNo: number, raw: string, reason: string): void {
    this.chunk.rejects.push({ recordNo: this.records, lineNo, raw, reason });
    this.counted();
  }

  /** Closes the open chunk if it holds any record. */
  flush(): void {
    if (this.chunk.recordCount > 0) this.ready.push(this.chunk);
    this.chunk = emptyChunk(this.records);
  }

  /** Removes and returns the completed chunks. */
  take(): RowChunk[] {
    return this.ready.splice(0);
  }

  private counted(): void {
    this.records++;
    (this.chunk as { recordCount: number }).recordCount++;
    if (this.chunk.recordCount >= this.chunkRows) this.flush();
  }
}
