/**
 * Every node's status in one run: the per-node state machine (pending, running, succeeded, cached, failed, skipped,
 * cancelled). Deterministic and free of Temporal calls; the run tracker drives it.
 */
import type { NodeDefinition, PipelineDefinition } from '../src/model/schema';
import type { NodeError, NodeOutput, NodeState, NodeStatus } from '../src/model/state';
import { countNodeStates, TERMINAL_NODE_STATES } from '../src/model/state';
import type { PartitionProgress } from '../src/model/partitions';

type MutableStatus = { -readonly [K in keyof NodeStatus]: NodeStatus[K] };

export class NodeStatuses {
  private readonly byId = new Map<string, MutableStatus>();
  /** The same status objects in definition order; they are updated in place, never replaced. */
  private readonly ordered: MutableStatus[] = [];
  private readonly defs: ReadonlyMap<string, NodeDefinition>;
  readonly nodes: readonly NodeDefinition[];

  constructor(
    readonly definition: PipelineDefinition,
    carried: readonly NodeStatus[] = [],
    /** Nodes whose params held templates: their status shows the params as rendered. */
    templated: readonly string[] = [],
    /** A rerun's reused outputs, by node id: these nodes start `cached` and never run. */
    reused: Readonly<Record<string, NodeOutput>> = {},
  ) {
    const rendered = new Set(templated);
    this.nodes = definition.nodes;
    this.defs = new Map(definition.nodes.map((n) => [n.id, n]));
    const previous = new Map(carried.map((n) => [n.id, n]));
    for (const n of definition.nodes) {
      const before = previous.get(n.id);
      const output = Object.prototype.hasOwnProperty.call(reused, n.id) ? reused[n.id] : undefined;
      const status: MutableStatus = before
        ? { ...before }
        : output
          ? {
              id: n.id,
              type: n.type,
              needs: n.needs,
              state: 'cached',
              attempts: 0,
              executions: 0,
              output,
              reused: true,
            }
          : { id: n.id, type: n.type, needs: n.needs, state: 'pending', attempts: 0, executions: 0 };
      if (rendered.has(n.id)) status.params = n.params;
      this.byId.set(n.id, status);
      this.ordered.push(status);
    }
  }

  readonly state = (id: string): NodeState => this.get(id).state;

  node(id: string): NodeDefinition {
    const node = this.defs.get(id);
    if (!node) throw new Error(`unknown node ${id}`);
    return node;
  }

  executions(id: string): number {
    return this.get(id).executions;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  attempts(id: string): number {
    return this.get(id).attempts;
  }

  error(id: string): NodeError | undefined {
    return this.get(id).error;
  }

  endedAt(id: string): string | undefined {
    return this.get(id).endedAt;
  }

  /** A partitioned node's progress (its chain's, for a chain's first node). */
  partitions(id: string): PartitionProgress | undefined {
    return this.get(id).partitions;
  }

  setPartitions(id: string, progress: PartitionProgress): void {
    this.get(id).partitions = progress;
  }

  /** Outputs of the node's needs, by id (references and stats only). */
  inputsFor(id: string): Record<string, NodeOutput> {
    const inputs: Record<string, NodeOutput> = {};
    for (const dep of this.node(id).needs) inputs[dep] = this.get(dep).output ?? {};
    return inputs;
  }

  markRunning(id: string, now: string): void {
    const s = this.get(id);
    s.state = 'running';
    s.executions += 1;
    s.startedAt = now;
    s.endedAt = undefined;
    s.error = undefined;
  }

  /** The node's activity waits for a worker of `taskQueue` (undefined: a worker has picked it up). */
  markWaiting(id: string, taskQueue: string | undefined): void {
    this.get(id).waitingForWorker = taskQueue;
  }

  /** `cached`: the activity reused an earlier run's output instead of running the node. */
  markSucceeded(id: string, output: NodeOutput, attempts: number, now: string, cached = false): void {
    Object.assign(this.get(id), {
      state: cached ? 'cached' : 'succeeded',
      output,
      attempts,
      endedAt: now,
      waitingForWorker: undefined,
    });
  }

  markFailed(id: string, error: NodeError, attempts: number | undefined, now: string): void {
    const s = this.get(id);
    Object.assign(s, {
      state: 'failed',
      error,
      endedAt: now,
      attempts: attempts ?? s.attempts,
      waitingForWorker: undefined,
    });
  }

  /** Held (`onFailure: hold`): failed after its retries, waiting for an operator. */
  markHeld(id: string, error: NodeError, attempts: number | undefined, now: string): void {
    const s = this.get(id);
    Object.assign(s, {
      state: 'held',
      error,
      endedAt: now,
      attempts: attempts ?? s.attempts,
      waitingForWorker: undefined,
    });
  }

  /** Back to pending after an immediate pause: the node runs again on resume. */
  markPending(id: string): void {
    const s = this.get(id);
    s.state = 'pending';
    s.endedAt = undefined;
    s.waitingForWorker = undefined;
  }

  markEnded(id: string, state: 'skipped' | 'cancelled', now: string): void {
    Object.assign(this.get(id), { state, endedAt: now, waitingForWorker: undefined });
  }

  allTerminal(): boolean {
    for (const s of this.byId.values()) if (!TERMINAL_NODE_STATES.has(s.state)) return false;
    return true;
  }

  /** Whether any node is in `state` (stops at the first). */
  any(state: NodeState): boolean {
    for (const s of this.ordered) if (s.state === state) return true;
    return false;
  }

  idsIn(state: NodeState): string[] {
    return [...this.byId.values()].filter((s) => s.state === state).map((s) => s.id);
  }

  /** Copies of every node's status, in definition order. */
  statuses(): NodeStatus[] {
    // Object.assign rather than a spread: the workflow bundle compiles spreads to a much slower helper.
    return this.ordered.map((s) => Object.assign({}, s));
  }

  /**
   * The live statuses, not copied: for reading within the current workflow task (the run's details) only. Cheaper
   * than a snapshot, which the scheduler would otherwise build on every pass.
   */
  view(): readonly NodeStatus[] {
    return this.ordered;
  }

  counts(): Record<NodeState, number> {
    return countNodeStates(this.ordered);
  }

  private get(id: string): MutableStatus {
    const s = this.byId.get(id);
    if (!s) throw new Error(`unknown node ${id}`);
    return s;
  }
}
