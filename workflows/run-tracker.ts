/**
 * The state of one run and every decision about it: which units start, what a finished, failed or interrupted
 * activity means for its nodes and for the rest of the run, when the run is done, what it carries into
 * continue-as-new, what its outcome is. Deterministic and free of Temporal calls, so it is unit-tested directly
 * (test/unit/workflow/run-tracker.test.ts); the workflow function only waits, schedules and reports.
 */
import type { NodeRef, RunNodeInput, RunNodeResult } from '../src/engine/contract';
import type { CarriedState, RerunInput } from '../src/engine/run-input';
import { durationMs } from '../src/model/duration';
import { mayLeaveStaging } from '../src/model/nodes/builtin-table';
import type { ResolvedNodeOptions } from '../src/model/options';
import { resolveNodeBreaker, resolveNodeOptions } from '../src/model/options';
import { readyNodes, unreachableNodes } from '../src/model/plan';
import type { PipelineDefinition } from '../src/model/schema';
import type { NodeError, NodeOutput, PauseMode, RunState, RunStatus } from '../src/model/state';
import { TERMINAL_RUN_STATES } from '../src/model/state';
import { renderDetails } from './details';
import type { ObservedFailure } from './failures';
import { fusedFailure } from './failures';
import { NodeStatuses } from './node-statuses';
import type { Unit, UnitPlan } from './units';
import { planUnits } from './units';
import type { RunParameters } from './definition';
import { PartitionBook } from './partition-book';

/** Why running nodes were cancelled. */
export const CancelReason = { pause: 'pause', failFast: 'fail-fast', runCancelled: 'run-cancelled' } as const;
export type CancelReason = (typeof CancelReason)[keyof typeof CancelReason];

/** How a run that ran to its end turned out. */
export type RunOutcome = Extract<RunState, 'completed' | 'failed' | 'cancelled'>;

export interface RunSetup {
  readonly parallelism: number;
  /** Workflow time when this generation started. */
  readonly now: string;
  /** State from the previous generation (continue-as-new). */
  readonly carried?: CarriedState;
  /** The params and logical date templates rendered from, for a run that has them (shown in the status). */
  readonly run?: RunParameters;
  /** For a rerun: the run repeated and the ledgers its nodes continue (every generation). */
  readonly rerun?: Pick<RerunInput, 'of' | 'ledgers'>;
  /** For the first generation of a rerun: the outputs its reused nodes keep. */
  readonly reused?: Readonly<Record<string, NodeOutput>>;
}

export class RunTracker {
  readonly nodes: NodeStatuses;
  /** The progress of partitioned units. */
  readonly partitions: PartitionBook;
  readonly parallelism: number;
  /** Runs of this workflow id so far, counting continue-as-new (1 for the first). */
  readonly generation: number;
  readonly startedAt: string;
  /** Scheduler passes so far; an update waits for the next one to know a resume took effect. */
  passes = 0;
  /** Bumped by every change the scheduler must react to. */
  version = 0;
  private readonly units: UnitPlan;
  private readonly checkpoints: Map<string, unknown>;
  /** Each unit's resolved options, worked out once. */
  private readonly options = new Map<string, ResolvedNodeOptions>();
  private paused: boolean;
  private pauseMode: PauseMode | undefined;
  private staged: boolean;
  private failingFast = false;
  private final: RunOutcome | undefined;
  private endedAt: string | undefined;
  private readonly run: RunParameters | undefined;
  private readonly rerun: RunSetup['rerun'];
  /** Params an operator gave with `retryNode`, by node id. */
  private readonly paramOverrides: Map<string, Record<string, unknown>>;

  constructor(
    readonly definition: PipelineDefinition,
    setup: RunSetup,
  ) {
    const carried = setup.carried;
    this.nodes = new NodeStatuses(definition, carried?.nodes, setup.run?.templated, setup.reused);
    this.partitions = new PartitionBook(this.nodes, () => this.changed());
    this.run = setup.run;
    this.rerun = setup.rerun;
    this.paramOverrides = new Map(Object.entries(carried?.paramOverrides ?? {}));
    this.units = planUnits(definition);
    this.parallelism = setup.parallelism;
    this.generation = (carried?.generation ?? 0) + 1;
    this.startedAt = carried?.startedAt ?? setup.now;
    this.checkpoints = new Map(Object.entries(carried?.checkpoints ?? {}));
    this.paused = carried?.paused ?? false;
    this.pauseMode = carried?.pauseMode;
    this.staged = carried?.staged ?? false;
  }

  /** The run state: its outcome once it ended, else held (a node waits for an operator), paused or running. */
  state(): RunState {
    return this.final ?? (this.nodes.any('held') ? 'held' : this.paused ? 'paused' : 'running');
  }

  /** The held nodes, in definition order. */
  held(): string[] {
    return this.nodes.idsIn('held');
  }

  /** Workflow time when the oldest hold began (for `holdTimeout`), or undefined when nothing is held. */
  heldSince(): string | undefined {
    const since = this.held().map((id) => this.nodes.endedAt(id) ?? '');
    return since.length > 0 ? since.sort()[0] : undefined;
  }

  /** Why an operator's update cannot apply to `nodeId` now, or undefined when it can. */
  refusalFor(nodeId: unknown): string | undefined {
    if (this.ended()) return `the run has already ended (${this.state()})`;
    if (typeof nodeId !== 'string' || !this.nodes.has(nodeId))
      return `unknown node ${JSON.stringify(nodeId)}; the run's nodes are ${this.nodes.nodes.map((n) => n.id).join(', ')}`;
    const state = this.nodes.state(nodeId);
    if (state !== 'held')
      return `node "${nodeId}" is ${state}, not held: only a node held after its retries (onFailure: hold) can be retried or skipped`;
    return undefined;
  }

  /**
   * An operator retries a held node: the held nodes of its unit (a fused chain runs again whole) go back to pending
   * and run again as a new execution, attempts starting over; `params` (already checked) replace the node's own.
   */
  retry(nodeId: string, params?: Record<string, unknown>): void {
    if (params !== undefined) this.paramOverrides.set(nodeId, params);
    for (const id of this.unitOf(nodeId)) if (this.nodes.state(id) === 'held') this.nodes.markPending(id);
    this.changed();
  }

  /**
   * An operator skips a held node (with the held nodes of its unit): `skipped` skips its dependents too;
   * `succeeded` lets them run, with an output that has no stats and no dataset.
   */
  skip(nodeId: string, as: 'skipped' | 'succeeded', now: string): void {
    for (const id of this.unitOf(nodeId)) {
      if (this.nodes.state(id) !== 'held') continue;
      if (as === 'skipped') this.nodes.markEnded(id, 'skipped', now);
      else this.nodes.markSucceeded(id, {}, this.nodes.attempts(id), now);
    }
    this.changed();
  }

  /**
   * The run fails now, as fail-fast would have (an operator's `failRun`, or `holdTimeout`): held nodes fail and no
   * node starts. Returns true when running nodes must be cancelled.
   */
  failHeld(now: string): boolean {
    for (const id of this.held()) this.nodes.markFailed(id, this.nodes.error(id) as NodeError, undefined, now);
    this.failingFast = true;
    this.changed();
    return true;
  }

  /** Whether the run has ended (or is ending): messages that change it no longer apply. */
  ended(): boolean {
    return this.final !== undefined && TERMINAL_RUN_STATES.has(this.final);
  }

  /** Stops starting nodes. Returns true when running nodes must be cancelled now (`immediate`). */
  pause(mode: PauseMode): boolean {
    this.paused = true;
    this.pauseMode = mode;
    this.changed();
    return mode === 'immediate';
  }

  resume(): void {
    this.paused = false;
    this.pauseMode = undefined;
    this.changed();
  }

  /** No new nodes start: paused, or failing fast. */
  draining(): boolean {
    return this.failingFast || this.paused;
  }

  /** Marks skipped every pending node that can no longer run because a need failed, was skipped or cancelled. */
  skipUnreachable(now: string): void {
    for (const id of unreachableNodes(this.nodes.nodes, this.nodes.state)) this.nodes.markEnded(id, 'skipped', now);
  }

  /** Marks running, and returns, the ready units (in definition order) that fit in `free` slots. */
  startReady(free: number, now: string): Unit[] {
    const started: Unit[] = [];
    for (const id of readyNodes(this.nodes.nodes, this.nodes.state)) {
      if (started.length >= free) break;
      const unit = this.units.startedBy(id);
      if (!unit) continue;
      for (const member of unit.members) this.nodes.markRunning(member, now);
      started.push(unit);
    }
    return started;
  }

  /** Counts a scheduler pass. */
  passed(): void {
    this.passes += 1;
  }

  /** With nothing running: whether the run is over (every node ended, or a failure ends it). */
  isDone(): boolean {
    return this.failingFast || this.nodes.allTerminal();
  }

  /** With nothing running: whether the run may continue as new (not while paused or failing). */
  mayContinueAsNew(): boolean {
    return !this.failingFast && !this.paused;
  }

  /** The settings a unit's activity runs with: a fused chain runs with its last node's (the one that writes). */
  optionsOf(unit: Unit): ResolvedNodeOptions {
    return resolveNodeOptions(
      this.nodes.node(unit.members[unit.members.length - 1] as string),
      this.definition.defaults,
    );
  }

  /** How many times the unit was started (its activity id counts them). */
  executions(unit: Unit): number {
    return this.nodes.executions(unit.key);
  }

  /** The input of the unit's `runNode` activity. */
  activityInput(unit: Unit, ids: { readonly workflowId: string; readonly runId: string }): RunNodeInput {
    const { key, members } = unit;
    const nodeRef = (id: string): NodeRef => {
      const n = this.nodes.node(id);
      const breaker = resolveNodeBreaker(n, this.definition.defaults);
      // Only memoized nodes carry `cache`, so the inputs of other nodes stay as they were.
      const cache = n.cache ? { cache: { ttlMs: durationMs(n.cache.ttl), key: n.cache.key } } : {};
      const params = this.paramOverrides.get(id) ?? n.params;
      return { id, type: n.type, params, ...(breaker ? { breaker } : {}), ...cache };
    };
    const ledgerRun = this.rerun?.ledgers?.[members[members.length - 1] as string];
    return {
      workflowId: ids.workflowId,
      runId: ids.runId,
      pipeline: this.pipelineRef(),
      node: nodeRef(key),
      ...(members.length > 1 ? { chain: members.map(nodeRef) } : {}),
      inputs: this.nodes.inputsFor(key),
      checkpoint: this.checkpoints.get(key),
      retry: this.optionsOf(unit).retry,
      ...(ledgerRun ? { ledgerRun } : {}),
    };
  }

  /**
   * The unit's activity, on a task queue of its own, has waited a while for a worker of `taskQueue` (undefined: a
   * worker has picked it up since).
   */
  waitingForWorker(unit: Unit, taskQueue: string | undefined): void {
    for (const id of unit.members) if (this.nodes.state(id) === 'running') this.nodes.markWaiting(id, taskQueue);
    this.changed();
  }

  /**
   * The unit's activity completed: each member succeeded (or reused a cached output). A partitioned unit that stopped
   * with partitions left (for a pause or continue-as-new) goes back to pending, its progress kept.
   */
  succeeded(unit: Unit, result: RunNodeResult, now: string): void {
    this.checkpoints.delete(unit.key);
    if (result.staged) this.staged = true;
    if (this.partitions.isPartitioned(unit) && !this.partitions.complete(unit)) {
      for (const id of unit.members) this.nodes.markPending(id);
      this.changed();
      return;
    }
    for (const id of unit.members)
      this.nodes.markSucceeded(id, result.outputs?.[id] ?? result.output, result.attempt, now, result.cached);
    this.changed();
  }

  /**
   * The unit's activity was cancelled for `reason`. After a pause its nodes go back to pending and run again on
   * resume, from the checkpoint the activity reported; otherwise (or once the run has ended) they are cancelled.
   */
  interrupted(unit: Unit, reason: CancelReason, checkpoint: unknown, now: string): void {
    this.mayHaveStaged(unit);
    if (reason === 'pause' && !this.ended()) {
      if (checkpoint !== undefined) this.checkpoints.set(unit.key, checkpoint);
      for (const id of unit.members) this.nodes.markPending(id);
    } else {
      for (const id of unit.members) this.nodes.markEnded(id, 'cancelled', now);
    }
    this.changed();
  }

  /**
   * The unit's activity failed after its retries. Within a fused chain the culprit (as the activity reported it)
   * failed; the nodes before it failed with it (their rows were not kept); the nodes after it never ran and go back
   * to pending, to be skipped as unreachable. Returns true when the failure ends the run at once (fail-fast): the
   * caller then cancels every running node.
   */
  failed(unit: Unit, observed: ObservedFailure, now: string): boolean {
    this.mayHaveStaged(unit);
    const { key, members } = unit;
    const culprit = observed.nodeId !== undefined && members.includes(observed.nodeId) ? observed.nodeId : key;
    const at = members.indexOf(culprit);
    // Held nodes wait for an operator instead of failing, unless the run is failing already.
    const hold = this.optionsOf(unit).onFailure === 'hold' && !this.failingFast;
    const mark = (id: string, error: NodeError): void =>
      hold
        ? this.nodes.markHeld(id, error, observed.attempts, now)
        : this.nodes.markFailed(id, error, observed.attempts, now);
    members.forEach((id, i) => {
      if (i > at) this.nodes.markPending(id);
      else mark(id, i === at ? observed.error : fusedFailure(culprit));
    });
    this.changed();
    if (this.optionsOf(unit).onFailure !== 'fail-fast' || this.failingFast) return false;
    this.failingFast = true;
    return true;
  }

  /** A run that ran to its end failed when any node failed. */
  outcome(): Extract<RunOutcome, 'completed' | 'failed'> {
    return this.nodes.idsIn('failed').length > 0 ? 'failed' : 'completed';
  }

  /** Ends the run: held nodes fail; pending nodes are skipped (cancelled, for a cancelled run). */
  finish(outcome: RunOutcome, now: string): void {
    for (const id of this.held()) this.nodes.markFailed(id, this.nodes.error(id) as NodeError, undefined, now);
    const left = outcome === 'cancelled' ? 'cancelled' : 'skipped';
    for (const id of this.nodes.idsIn('pending')) this.nodes.markEnded(id, left, now);
    this.final = outcome;
    this.endedAt = now;
    this.changed();
  }

  /** A partition of a unit wrote staging (the unit's table). */
  partitionStaged(): void {
    this.staged = true;
  }

  /** Whether a node may have left staging tables that the run must drop at its end. */
  mayHaveStaging(): boolean {
    return this.staged;
  }

  /** The run's duration so far, or until it ended. */
  durationMs(now: string): number {
    return Date.parse(this.endedAt ?? now) - Date.parse(this.startedAt);
  }

  /** The full status: run state and every node's (copies). */
  status(): RunStatus {
    return {
      pipeline: this.pipelineRef(),
      state: this.state(),
      paused: this.paused,
      pauseMode: this.pauseMode,
      parallelism: this.parallelism,
      generation: this.generation,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      counts: this.nodes.counts(),
      nodes: this.nodes.statuses(),
      ...(this.run ? { params: this.run.params, logicalDate: this.run.logicalDate } : {}),
      ...(this.rerun ? { rerunOf: this.rerun.of } : {}),
    };
  }

  /** The run's current details for the Web UI, rendered from the live statuses (no copies). */
  details(): string {
    return renderDetails({
      pipeline: this.pipelineRef(),
      state: this.state(),
      pauseMode: this.pauseMode,
      counts: this.nodes.counts(),
      nodes: this.nodes.view(),
      ...(this.rerun ? { rerunOf: this.rerun.of } : {}),
    });
  }

  /** What the next generation needs to go on where this one stops. */
  carry(): CarriedState {
    return {
      generation: this.generation,
      startedAt: this.startedAt,
      paused: this.paused,
      pauseMode: this.pauseMode,
      nodes: this.nodes.statuses(),
      checkpoints: Object.fromEntries(this.checkpoints),
      staged: this.staged,
      ...(this.paramOverrides.size > 0 ? { paramOverrides: Object.fromEntries(this.paramOverrides) } : {}),
    };
  }

  private pipelineRef(): RunStatus['pipeline'] {
    return { name: this.definition.name, version: this.definition.version };
  }

  /** An attempt that failed or was cancelled may have created staging before it stopped. */
  private mayHaveStaged(unit: Unit): void {
    if (unit.members.some((id) => mayLeaveStaging(this.nodes.node(id).type))) this.staged = true;
  }

  /** The members of the unit `nodeId` belongs to (itself alone when it runs on its own). */
  private unitOf(nodeId: string): readonly string[] {
    return this.units.of(nodeId).members;
  }

  private changed(): void {
    this.version += 1;
  }
}
