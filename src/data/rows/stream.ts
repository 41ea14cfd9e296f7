/**
 * Rows in motion inside an activity: a stream of row chunks with their columns, a source that opens one, a transform
 * stage that maps chunks. Node types build on these (see `src/nodes/stream/`).
 */
import type { RowChunk } from './batch';
import type { ColumnSpec } from '../../model/columns/columns';

/** Row chunks with the columns they hold. */
export interface RowStream {
  readonly columns: readonly ColumnSpec[];
  readonly chunks: AsyncIterable<RowChunk>;
}

/** Node statistics, e.g. `rowsRead`, `rowsWritten`, `rowsRejected`. */
export type Stats = Record<string, number>;

export interface OpenedSource extends RowStream {
  /** This node's statistics so far. */
  stats(): Stats;
  /** A small JSON value for the node's output (a few KB at most), e.g. the header names a CSV source renamed. */
  value?(): unknown;
  /** Releases what the source holds (a client, a file handle); called once, after the stream ended or failed. */
  close(failure?: Error): Promise<void>;
}

export interface TransformStage {
  /** The columns of the rows `apply` returns. */
  readonly columns: readonly ColumnSpec[];
  /** Maps one chunk (in place or into a new one); rows it refuses become rejects tagged with the node. */
  apply(chunk: RowChunk): RowChunk | Promise<RowChunk>;
  /** Called once the input ended: a place for end-of-input checks such as a rejects ratio. */
  finish?(): void;
  stats(): Stats;
}
