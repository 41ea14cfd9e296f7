/**
 * Streaming node types as stages: a source opens a stream of row chunks, a transform maps chunks, a sink
 * consumes a stream. A node runs alone as a one-stage chain (reading its input dataset, writing a staging table)
 * or fused with its neighbours into one activity (see `src/model/fusion.ts`).
 */
import type { NodeOutput } from '../../model/state';
import type { NodeContext } from '../node-type';
import type { ColumnSpec } from '../../model/columns/columns';
import type { OpenedSource, RowStream, TransformStage } from '../../data/rows/stream';

export interface StreamSpec<P> {
  readonly role: 'source' | 'transform' | 'sink';
  openSource?(ctx: NodeContext<P>): Promise<OpenedSource>;
  transform?(ctx: NodeContext<P>, input: readonly ColumnSpec[]): TransformStage | Promise<TransformStage>;
  /** Consumes the stream and returns the node's output (statistics and the dataset it wrote). */
  sink?(ctx: NodeContext<P>, input: RowStream): Promise<NodeOutput>;
}
