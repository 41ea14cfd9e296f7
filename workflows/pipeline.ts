/**
 * The generic pipeline workflow (type name `pipeline`): interprets a validated DAG definition, starting every
 * ready node as an activity while fewer than `parallelism` run. Deterministic: no I/O, clocks are workflow time.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  proxySinks,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { resolveNodeBreaker, resolveNodeOptions, resolveParallelism } from '../src/model/options';
import { readyNodes, unreachableNodes } from '../src/model/plan';
import type { PauseMode, RunState, RunStatus } from '../src/model/state';
import { TERMINAL_RUN_STATES } from '../src/model/state';
import { mayLeaveStaging } from '../src/model/nodes';
import { validateDefinition } from '../src/model/validate';
import { loadReferenced } from './definition-ref';
import { renderDetails } from './details';
import {
  cancelCheckpoint,
  describeNodeFailure,
  fusedFailure,
  invalidDefinitionFailure,
  pipelineFailure,
} from './failures';
import type { PipelineInput, PipelineResult } from '../src/engine/run-input';
import { pauseSignal, resumeSignal, setPausedUpdate, statusQuery } from '../src/engine/messages';
import { dropRunStaging, scheduleNode } from './node-activity';
import { RunTracker } from './run-tracker';
import { createStateIndex } from './search-state';
import type { Unit } from './units';
import { planUnits } from './units';
import type { NodeRef, RunNodeInput, RunNodeResult } from '../src/engine/contract';
import { durationMs } from '../src/model/duration';
import type { PipelineSinks } from './sinks';

type CancelReason = 'pause' | 'fail-fast' | 'run-cancelled';
/**
 * The cancellation scope that running nodes share, and why it was cancelled. Every cancellation cancels all running
 * nodes, so nodes started between two cancellations share one scope: a scope per node would cost each start several
 * more promises, which the SDK tracks one stack trace each.
 */
interface CancelGroup {
  readonly scope: CancellationScope;
  reason?: CancelReason;
}

const now = (): string => new Date().toISOString();
/** Patch id: the run drops its staging only when a node may have written some. */
const DROP_ONLY_WRITTEN_STAGING = 'drop-only-written-staging';
const { pipelineMetrics } = proxySinks<PipelineSinks>();

export async function pipeline(input: PipelineInput): Promise<PipelineResult> {
  // Only a run by reference schedules the load; an inline definition is used as is (and replays as before).
  const referenced =
    input.definition === undefined && input.ref !== undefined ? await loadReferenced(input.ref) : undefined;
  const validation = validateDefinition(referenced?.definition ?? input.definition, { allowUnknownTypes: true });
  if (!validation.ok) throw invalidDefinitionFailure(validation.problems);
  const definition = validation.definition;
  const parallelism = resolveParallelism(definition.defaults, input.options?.parallelism);
  const carried = input.carried;
  const tracker = new RunTracker(definition, carried?.nodes);
  const units = planUnits(definition);
  const generation = (carried?.generation ?? 0) + 1;
  const startedAt = carried?.startedAt ?? now();
  const checkpoints = new Map<string, unknown>(Object.entries(carried?.checkpoints ?? {}));
  const root = CancellationScope.current();
  const running = new Map<string, CancelGroup>();
  let group: CancelGroup | undefined;

  let paused = carried?.paused ?? false;
  let staged = carried?.staged ?? false;
  let pauseMode: PauseMode | undefined = carried?.pauseMode;
  let final: RunState | undefined;
  let endedAt: string | undefined;
  let failFast = false;
  let passes = 0;
  let changes = 0;
  const changed = (): void => void (changes += 1);
  const indexState = createStateIndex(input.options?.searchAttributes === true, definition.name);

  const runState = (): RunState => final ?? (paused ? 'paused' : 'running');
  const status = (): RunStatus =>
    tracker.snapshot({ state: runState(), paused, pauseMode, parallelism, generation, startedAt, endedAt });
  const pipelineRef = { name: definition.name, version: definition.version };
  // The details are rendered on every scheduler pass: from the live view, without copying every node's status.
  const details = (): string =>
    renderDetails({
      pipeline: pipelineRef,
      state: runState(),
      pauseMode,
      counts: tracker.counts(),
      nodes: tracker.view(),
    });

  const cancelRunning = (reason: CancelReason): void => {
    for (const entry of running.values()) {
      entry.reason ??= reason;
      entry.scope.cancel();
    }
    // Nodes started from now on get a scope of their own.
    group = undefined;
  };
  const pause = (mode: PauseMode): void => {
    paused = true;
    pauseMode = mode;
    if (mode === 'immediate') cancelRunning('pause');
    changed();
  };
  const resume = (): void => {
    paused = false;
    pauseMode = undefined;
    changed();
  };

  setHandler(statusQuery, status);
  setHandler(pauseSignal, (args) => pause(args?.mode ?? 'drain'));
  setHandler(resumeSignal, resume);
  setHandler(
    setPausedUpdate,
    async ({ paused: wanted, mode }) => {
      const pass = passes;
      if (wanted) pause(mode ?? 'drain');
      else resume();
      // Taken effect: an immediate pause once running nodes are cancelled; a resume once the scheduler ran.
      await condition(
        () => (wanted ? mode !== 'immediate' || running.size === 0 : passes > pass) || final !== undefined,
      );
      return status();
    },
    {
      validator: (args) => {
        if (typeof args?.paused !== 'boolean')
          throw new Error('setPaused needs { paused: boolean, mode?: "drain" | "immediate" }');
        if (args.mode !== undefined && args.mode !== 'drain' && args.mode !== 'immediate')
          throw new Error(`unknown pause mode "${String(args.mode)}": use "drain" or "immediate"`);
        if (final !== undefined && TERMINAL_RUN_STATES.has(final))
          throw new Error(`the run has already ended (${final})`);
      },
    },
  );

  /** Marks the unit's nodes running in `entry` and returns the call that schedules its activity. */
  const start = (unit: Unit, entry: CancelGroup): (() => void) => {
    const { key, members } = unit;
    const last = tracker.node(members[members.length - 1] as string);
    // A fused chain runs with the settings of its last node (the one that writes).
    const options = resolveNodeOptions(last, definition.defaults);
    for (const id of members) tracker.markRunning(id, now());
    running.set(key, entry);
    const nodeRef = (id: string): NodeRef => {
      const n = tracker.node(id);
      const breaker = resolveNodeBreaker(n, definition.defaults);
      // Only memoized nodes carry `cache`, so the inputs of other nodes stay as they were.
      const cache = n.cache ? { cache: { ttlMs: durationMs(n.cache.ttl), key: n.cache.key } } : {};
      return { id, type: n.type, params: n.params, ...(breaker ? { breaker } : {}), ...cache };
    };
    const activityInput: RunNodeInput = {
      workflowId: workflowInfo().workflowId,
      runId: workflowInfo().firstExecutionRunId,
      pipeline: pipelineRef,
      node: nodeRef(key),
      ...(members.length > 1 ? { chain: members.map(nodeRef) } : {}),
      inputs: tracker.inputsFor(key),
      checkpoint: checkpoints.get(key),
      retry: options.retry,
    };
    const settled = (): void => {
      running.delete(key);
      changed();
    };
    const schedule = (): Promise<RunNodeResult> => {
      try {
        return scheduleNode(activityInput, options, tracker.executions(key));
      } catch (err) {
        // Options the SDK refuses fail the node like any other failure, not the workflow task.
        return Promise.reject(err);
      }
    };
    // One then() with the bookkeeping in both branches, not then().finally(): a promise less per node.
    return () =>
      void schedule().then(
        (result) => {
          settled();
          checkpoints.delete(key);
          if (result.staged) staged = true;
          for (const id of members)
            tracker.markSucceeded(id, result.outputs?.[id] ?? result.output, result.attempt, now(), result.cached);
        },
        (err: unknown) => {
          settled();
          // An attempt that failed or was cancelled may have created staging before it stopped.
          if (members.some((id) => mayLeaveStaging(tracker.node(id).type))) staged = true;
          // Root cancellation reaches the node's scope before the catch below can record a reason.
          const reason = entry.reason ?? (root.consideredCancelled ? 'run-cancelled' : undefined);
          if (reason === 'pause' && isCancellation(err)) {
            const checkpoint = cancelCheckpoint(err);
            if (checkpoint !== undefined) checkpoints.set(key, checkpoint);
            for (const id of members) tracker.markPending(id);
          } else if (reason !== undefined && isCancellation(err)) {
            for (const id of members) tracker.markEnded(id, 'cancelled', now());
          } else {
            const observed = describeNodeFailure(err);
            const culprit = observed.nodeId !== undefined && members.includes(observed.nodeId) ? observed.nodeId : key;
            const at = members.indexOf(culprit);
            members.forEach((id, i) => {
              // Nodes after the culprit never ran: back to pending, so they are skipped as unreachable.
              if (i > at) tracker.markPending(id);
              else if (i === at) tracker.markFailed(id, observed.error, observed.attempts, now());
              else tracker.markFailed(id, fusedFailure(culprit), observed.attempts, now());
            });
            if (options.onFailure === 'fail-fast' && !failFast) {
              failFast = true;
              cancelRunning('fail-fast');
            }
          }
        },
      );
  };

  // Only runs with data nodes can have staging; other runs schedule nothing more (and replay as before).
  const hasStaging = definition.nodes.some((n) => mayLeaveStaging(n.type));
  const cleanUp = async (): Promise<void> => {
    if (!hasStaging) return;
    // Runs whose nodes all wrote straight into their targets (fused chains ending in a sink) skip the drop: one
    // activity round trip less per run. Runs recorded before this always dropped (patched: replay is unchanged).
    if (staged || !patched(DROP_ONLY_WRITTEN_STAGING))
      await dropRunStaging(workflowInfo().workflowId, workflowInfo().firstExecutionRunId);
  };

  const wantsContinueAsNew = (): boolean => {
    const info = workflowInfo();
    const limit = input.options?.historyEventLimit;
    return info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
  };

  try {
    for (;;) {
      for (const id of unreachableNodes(tracker.nodes, tracker.state)) tracker.markEnded(id, 'skipped', now());
      const draining = failFast || paused || wantsContinueAsNew();
      if (!draining) {
        const entry = (group ??= { scope: new CancellationScope() });
        const launches: Array<() => void> = [];
        for (const id of readyNodes(tracker.nodes, tracker.state)) {
          if (running.size >= parallelism) break;
          const unit = units.startedBy(id);
          if (unit) launches.push(start(unit, entry));
        }
        // Activities belong to the scope that is current when they are scheduled: one run() for the whole pass.
        if (launches.length > 0) void entry.scope.run(async () => launches.forEach((launch) => launch()));
      }
      passes += 1;
      if (running.size === 0 && (failFast || tracker.allTerminal())) break;
      if (running.size === 0 && !failFast && !paused && wantsContinueAsNew()) {
        await condition(allHandlersFinished);
        const state = {
          generation,
          startedAt,
          paused,
          pauseMode,
          nodes: tracker.statuses(),
          checkpoints: Object.fromEntries(checkpoints),
          staged,
        };
        // A run by reference keeps the version it loaded, even if `latest` has moved on since.
        await continueAsNew<typeof pipeline>({
          ...input,
          ...(referenced ? { ref: referenced.ref } : {}),
          carried: state,
        });
      }
      setCurrentDetails(details());
      indexState(runState());
      const seen = changes;
      await condition(() => changes !== seen);
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // The run itself was cancelled: wait for running nodes to acknowledge, then report them cancelled.
    final = 'cancelled';
    await CancellationScope.nonCancellable(async () => {
      cancelRunning('run-cancelled');
      await condition(() => running.size === 0);
      await cleanUp();
    });
    for (const id of tracker.idsIn('pending')) tracker.markEnded(id, 'cancelled', now());
    endedAt = now();
    setCurrentDetails(details());
    indexState(final);
    pipelineMetrics.runEnded({
      pipeline: definition.name,
      outcome: 'cancelled',
      durationMs: Date.parse(endedAt) - Date.parse(startedAt),
    });
    throw err;
  }

  for (const id of tracker.idsIn('pending')) tracker.markEnded(id, 'skipped', now());
  await cleanUp();
  endedAt = now();
  const failed = tracker.idsIn('failed');
  final = failed.length > 0 ? 'failed' : 'completed';
  setCurrentDetails(details());
  indexState(final);
  pipelineMetrics.runEnded({
    pipeline: definition.name,
    outcome: final,
    durationMs: Date.parse(endedAt) - Date.parse(startedAt),
  });
  if (failed.length > 0) {
    const snapshot = status();
    throw pipelineFailure(
      definition.name,
      snapshot.nodes.filter((n) => n.state === 'failed'),
    );
  }
  return { status: status() };
}
