/**
 * A node type's pure description: its name, what it does, its params schema, its part in a stream of rows, and
 * whether it may leave tables in the staging schema. Declared once per type (one file in this folder for each
 * built-in type); the catalogs that validation uses, chain fusion and the staging rules are derived from these, and
 * the implementation (in `src/nodes/`) is built on the same object. Pure: bundled into workflow code.
 */
import type { ZodType, ZodTypeDef } from 'zod';

/** How a streaming node takes part in a chain of row stages. */
export const StreamRole = { source: 'source', transform: 'transform', sink: 'sink' } as const;
export type StreamRole = (typeof StreamRole)[keyof typeof StreamRole];

export interface NodeDescription<P = unknown, N extends string = string> {
  /** The `type` a definition names. */
  readonly name: N;
  /** One line: what the node does. */
  readonly description?: string;
  /** Parses and checks the node's params (defaults applied). */
  readonly params: ZodType<P, ZodTypeDef, unknown>;
  /**
   * A streaming node's role: sources produce rows, transforms map them, sinks consume them. A transform or sink
   * reads exactly one upstream node; linear chains of streaming nodes run fused in one activity.
   */
  readonly stream?: StreamRole;
  /** The node may leave tables in the staging schema (every streaming node may), which the run drops at its end. */
  readonly staging?: boolean;
}

/** Declares a node type's description, keeping its name's literal type. */
export function describeNode<P, N extends string>(description: NodeDescription<P, N>): NodeDescription<P, N> {
  return description;
}
