/** The extension point: a node type is a name, a zod params schema and an async run function. */
import type { ZodType, ZodTypeDef } from 'zod';
import type { NodeOutput } from '../model/state';
import type { DataServices } from '../data/services';
import type { StreamSpec } from './stream/stages';

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
  /** The worker's Postgres pools, schemas and registered functions. */
  readonly data: DataServices;
}

export interface NodeType<P = unknown> {
  readonly name: string;
  readonly description?: string;
  readonly params: ZodType<P, ZodTypeDef, unknown>;
  run(ctx: NodeContext<P>): Promise<NodeOutput | void>;
  /** Built-in streaming types only: how the node plays its part in a fused chain. */
  readonly stream?: StreamSpec<P>;
}

/** Declares a node type with its params type inferred from the schema. */
export function defineNodeType<P>(type: NodeType<P>): NodeType<P> {
  return type;
}
