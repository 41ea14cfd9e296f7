/**
 * Streaming node types as stages: a source opens a stream of row chunks, a transform maps chunks, a sink
 * consumes a stream. A node runs alone as a one-stage chain (reading its input dataset, writing a staging table)
 * or fused with its neighbours into one activity (see `src/dag/fusion.ts`).
 */
import type { NodeOutput } from '../dag/state';
import type { NodeContext } from '../nodes/node-type';
import type { RowChunk } from '../stream/batch';
import type { ColumnSpec } from '../stream/columns';

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

export interface StreamSpec<P> {
  readonly role: 'source' | 'transform' | 'sink';
  openSource?(ctx: NodeContext<P>): Promise<OpenedSource>;
  transform?(ctx: NodeContext<P>, input: readonly ColumnSpec[]): TransformStage | Promise<TransformStage>;
  /** Consumes the stream and returns the node's output (statistics and the dataset it wrote). */
  sink?(ctx: NodeContext<P>, input: RowStream): Promise<NodeOutput>;
}
