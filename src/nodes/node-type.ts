/** The extension point: a node type is a description (a name, a zod params schema) and an async run function. */
import type { ZodType, ZodTypeDef } from 'zod';
import type { NodeOutput } from '../model/state';
import type { DataServices } from '../data/services';
import type { NodeDescription } from '../model/nodes/describe';
import type { ColumnSpec } from '../model/columns/columns';
import type { OpenedSource, RowStream, TransformStage } from '../data/rows/stream';
import type { PartitionInContext } from '../data/partitions/types';

/** What a node's run function receives. */
export interface NodeContext<P> {
  readonly workflowId: string;
  /** The run's first execution run id: with the workflow id, it names this run for ledgers and staging. */
  readonly runId: string;
  readonly pipeline: { readonly name: string; readonly version: string };
  readonly nodeId: string;
  /** Params, already parsed by the type's schema (defaults applied). */
  readonly params: P;
  /** Outputs of the node's needs, by node id (dataset references and stats, never rows). */
  readonly inputs: Readonly<Record<string, NodeOutput>>;
  /** The activity attempt, 1-based. */
  readonly attempt: number;
  /** The last checkpoint this node reported: from a previous attempt's heartbeat or before an immediate pause. */
  readonly checkpoint: unknown;
  /**
   * In a rerun, for a node that did not succeed in the run repeated: that run's ids, whose load ledger a load
   * straight into its target continues (so rows committed there are not loaded twice).
   */
  readonly ledgerRun?: { readonly workflowId: string; readonly runId: string };
  /**
   * For a partitioned node (and every node fused after it): the one partition this activity runs. A partitioned
   * source reads only it; a load keys its ledger by it.
   */
  readonly partition?: PartitionInContext;
  /** Aborted when the node is cancelled (pause immediate, fail fast, run cancelled). */
  readonly signal: AbortSignal;
  /** Records progress; the checkpoint must be small JSON. Heartbeats are also sent automatically. */
  heartbeat(checkpoint?: unknown): void;
  /**
   * Reports how many rows the node has handled so far in this attempt. Cheap (sent with the next heartbeat);
   * `pipewright status --watch` shows it with rows per second while the node runs. Data nodes report it already.
   */
  progress(rows: number): void;
  /** Sleeps, rejecting with a cancellation if the node is cancelled meanwhile. */
  sleep(ms: number): Promise<void>;
  readonly log: {
    info(message: string, attrs?: Record<string, unknown>): void;
    warn(message: string, attrs?: Record<string, unknown>): void;
  };
}

/** What a built-in data node's run function receives: a node context and the worker's data services. */
export interface DataNodeContext<P> extends NodeContext<P> {
  /** The worker's Postgres pools, schemas, cache and registered functions (with the node's breaker settings). */
  readonly data: DataServices;
}

/**
 * A streaming node's stage, for its description's role: a source opens a stream of row chunks, a transform maps
 * chunks, a sink consumes a stream. A node runs alone as a chain of one (reading its input dataset, writing a staging
 * table) or fused with its neighbours into one activity (see `src/model/fusion.ts` and `stream/chain.ts`).
 */
export interface StreamStages<P> {
  openSource?(ctx: DataNodeContext<P>): Promise<OpenedSource>;
  transform?(ctx: DataNodeContext<P>, input: readonly ColumnSpec[]): TransformStage | Promise<TransformStage>;
  /** Consumes the stream and returns the node's output (statistics and the dataset it wrote). */
  sink?(ctx: DataNodeContext<P>, input: RowStream): Promise<NodeOutput>;
  /**
   * How the node takes the geometry columns of a table it reads as its input: `geojson` has Postgres write them as
   * GeoJSON text (`ST_AsGeoJSON`, measured faster than decoding hex EWKB in the worker); default hex EWKB.
   */
  inputGeometry?(ctx: DataNodeContext<P>): GeometryForm | undefined;
}

/** The form geometry values take in rows: hex EWKB (the default), or GeoJSON text for GeoJSON output. */
export type GeometryForm = 'ewkb' | 'geojson';

/** A node type: its description (name, params schema, ...) and the function that runs a node of it. */
export interface NodeType<P = unknown> extends NodeDescription<P> {
  run(ctx: NodeContext<P>): Promise<NodeOutput | void>;
  /** Built-in streaming types only: the node's stage in a chain, for its description's `stream` role. */
  readonly stages?: StreamStages<P>;
  /** Built-in data types only: the node runs with the worker's data services (a {@link DataNodeContext}). */
  readonly dataPlane?: true;
}

/** What a user declares: a name, a params schema, an optional one-line description, and the run function. */
export interface NodeTypeDefinition<P> {
  readonly name: string;
  readonly description?: string;
  readonly params: ZodType<P, ZodTypeDef, unknown>;
  run(ctx: NodeContext<P>): Promise<NodeOutput | void>;
}

/** Declares a node type with its params type inferred from the schema. */
export function defineNodeType<P>(type: NodeTypeDefinition<P>): NodeType<P> {
  const { name, description, params, run } = type;
  return { name, ...(description !== undefined ? { description } : {}), params, run };
}

/** Implements a built-in type's description (`src/model/nodes/`): the description's fields, and how it runs. */
export function implementNode<P>(
  description: NodeDescription<P>,
  implementation: Pick<NodeType<P>, 'run'>,
): NodeType<P> {
  return { ...description, ...implementation };
}

/** Implements a built-in data type: it runs with the worker's data services. */
export function implementDataNode<P>(
  description: NodeDescription<P>,
  implementation: {
    run(ctx: DataNodeContext<P>): Promise<NodeOutput | void>;
    readonly stages?: StreamStages<P>;
  },
): NodeType<P> {
  return {
    ...description,
    dataPlane: true,
    ...(implementation.stages ? { stages: implementation.stages } : {}),
    run: (ctx) => implementation.run(dataContext(ctx)),
  };
}

/** The data node context the activity made for a data type. */
export function dataContext<P>(ctx: NodeContext<P>): DataNodeContext<P> {
  if (!('data' in ctx)) throw new Error(`node ${ctx.nodeId}: a data node type ran without the worker's data services`);
  return ctx as DataNodeContext<P>;
}
