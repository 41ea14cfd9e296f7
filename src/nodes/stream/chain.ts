/**
 * Runs streaming nodes as one pipeline of stages: a source (or the first node's input dataset), transforms, and
 * a sink (or, when the last node is not a sink, its staging table). A lone streaming node is a chain of one.
 */
import type { NodeOutput } from '../../model/state';
import type { DataNodeContext, NodeType } from '../node-type';
import type { RowChunk } from '../../data/rows/batch';
import type { ColumnSpec } from '../../model/columns/columns';
import { openInputDataset } from './dataset-source';
import { tagError, tagErrors, tagged } from '../../data/node-error';
import type { OpenedSource, TransformStage } from '../../data/rows/stream';
import type { StreamRole } from '../../model/nodes/describe';
import type { StreamStages } from '../node-type';
import { writeStaging } from './staging-writer';

export interface ChainMember {
  readonly type: NodeType<unknown>;
  readonly ctx: DataNodeContext<unknown>;
}

/** The member's role and stage functions; a type without both cannot run in a chain. */
const specOf = (m: ChainMember): StreamStages<unknown> & { readonly role: StreamRole } => {
  const { stream: role, stages } = m.type;
  if (!role || !stages) throw new Error(`node type ${m.type.name} does not stream rows and cannot run in a chain`);
  return { role, ...stages };
};

/** Runs the chain and returns each member's output, by node id; the last member's holds the dataset. */
export async function runChain(members: readonly ChainMember[]): Promise<Record<string, NodeOutput>> {
  const first = members[0];
  const last = members[members.length - 1];
  if (!first || !last) throw new Error('a chain needs at least one node');
  const firstIsSource = specOf(first).role === 'source';
  const lastIsSink = specOf(last).role === 'sink' && (members.length > 1 || !firstIsSource);
  const source: OpenedSource = firstIsSource
    ? await tagged(first.ctx.nodeId, () => specOf(first).openSource!(first.ctx))
    : await tagged(first.ctx.nodeId, () =>
        openInputDataset(first.ctx, first.type.name, specOf(first).inputGeometry?.(first.ctx)),
      );
  const outputs: Record<string, NodeOutput> = {};
  const stages: Array<[string, TransformStage]> = [];
  let failure: Error | undefined;
  try {
    let columns: readonly ColumnSpec[] = source.columns;
    let chunks: AsyncIterable<RowChunk> = tagErrors(first.ctx.nodeId, source.chunks);
    if (firstIsSource) chunks = reportRows(first.ctx, chunks);
    const middle = members.slice(firstIsSource ? 1 : 0, lastIsSink ? -1 : undefined);
    for (const m of middle) {
      const stage = await tagged(m.ctx.nodeId, async () => specOf(m).transform!(m.ctx, columns));
      stages.push([m.ctx.nodeId, stage]);
      chunks = applyStage(m.ctx, stage, chunks);
      columns = stage.columns;
    }
    const stream = { columns, chunks: lastIsSink ? reportRows(last.ctx, chunks) : chunks };
    const written = lastIsSink
      ? await tagged(last.ctx.nodeId, () => specOf(last).sink!(last.ctx, stream))
      : await tagged(last.ctx.nodeId, () => writeStaging(last.ctx, stream));
    if (firstIsSource) {
      const value = source.value?.();
      outputs[first.ctx.nodeId] = { stats: source.stats(), ...(value !== undefined ? { value } : {}) };
    }
    for (const [id, stage] of stages) outputs[id] = { stats: stage.stats() };
    const own: NodeOutput = outputs[last.ctx.nodeId] ?? {};
    outputs[last.ctx.nodeId] = { ...own, ...written, stats: { ...own.stats, ...written.stats } };
    return outputs;
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    await source.close(failure);
  }
}

/** Passes chunks on, reporting the rows that went through as the node's progress (a sink's: the rows it took). */
async function* reportRows(ctx: DataNodeContext<unknown>, chunks: AsyncIterable<RowChunk>): AsyncGenerator<RowChunk> {
  let rows = 0;
  for await (const chunk of chunks) {
    rows += chunk.rows.length;
    ctx.progress(rows);
    yield chunk;
  }
}

/** Applies a transform to each chunk, reporting the rows it passed on as the node's progress. */
async function* applyStage(
  ctx: DataNodeContext<unknown>,
  stage: TransformStage,
  chunks: AsyncIterable<RowChunk>,
): AsyncGenerator<RowChunk> {
  const nodeId = ctx.nodeId;
  let rows = 0;
  // Upstream errors come out of the for-await already tagged; only this stage's own are tagged here.
  for await (const chunk of chunks) {
    let out: RowChunk;
    try {
      out = await stage.apply(chunk);
    } catch (err) {
      throw tagError(err, nodeId);
    }
    rows += out.rows.length;
    ctx.progress(rows);
    yield out;
  }
  try {
    stage.finish?.();
  } catch (err) {
    throw tagError(err, nodeId);
  }
}
