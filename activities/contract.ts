/**
 * The activity interface the workflow schedules. Types only: workflows import it with `import type`.
 * One object in, one object out; both stay small (no row data, invariant 1).
 */
import type { NodeOutput } from '../src/dag/state';

export interface RunNodeInput {
  readonly workflowId: string;
  readonly pipeline: { readonly name: string; readonly version: string };
  readonly node: { readonly id: string; readonly type: string; readonly params: Record<string, unknown> };
  /** Outputs of the node's needs, by node id. */
  readonly inputs: Readonly<Record<string, NodeOutput>>;
  /** Checkpoint reported by an earlier execution that was cancelled by pause immediate. */
  readonly checkpoint?: unknown;
}

export interface RunNodeResult {
  readonly output: NodeOutput;
  /** The attempt that succeeded (1-based). */
  readonly attempt: number;
}

/** Details attached to every failure the activity reports, so the workflow can show attempts. */
export interface NodeFailureDetails {
  readonly attempt: number;
  readonly nodeId: string;
}

/** Details a node attaches when it is cancelled, so the next execution resumes from there. */
export interface NodeCancelDetails {
  readonly checkpoint?: unknown;
}

export interface PipewrightActivities {
  runNode(input: RunNodeInput): Promise<RunNodeResult>;
}
