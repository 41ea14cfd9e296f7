/**
 * The generic pipeline workflow (type name `pipeline`): interprets a validated DAG definition, starting every
 * ready node as an activity while fewer than `parallelism` run. This function is where time passes (it waits,
 * schedules and reports); the run's state and every decision about it are the RunTracker's. Deterministic: no I/O,
 * clocks are workflow time.
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
  workflowInfo,
} from '@temporalio/workflow';
import type { PipelineInput, PipelineResult, PipelineWorkflow, RerunInput } from '../src/engine/run-input';
import { mayLeaveStaging } from '../src/model/nodes/builtin-table';
import { resolveParallelism } from '../src/model/options';
import { durationMs, type DurationInput } from '../src/model/duration';
import type { RunStatus } from '../src/model/state';
import { resolveDefinition } from './definition';
import { cancelCheckpoint, describeNodeFailure, pipelineFailure } from './failures';
import { handleMessages } from './handlers';
import { dropRunStaging, scheduleNode } from './node-activity';
import { RunTracker, type RunOutcome } from './run-tracker';
import { Notifier } from './notifier';
import { planReuse } from './rerun';
import { RunningNodes } from './running-nodes';
import { runPartitions } from './partitions';
import { createStateIndex } from './search-state';
import type { PipelineSinks } from './sinks';

const now = (): string => new Date().toISOString();
/** Patch id: the run drops its staging only when a node may have written some. */
const DROP_ONLY_WRITTEN_STAGING = 'drop-only-written-staging';
const { pipelineMetrics } = proxySinks<PipelineSinks>();
/** Patch id: a run with held nodes and a `holdTimeout` waits on a timer. */
const HOLD_TIMEOUT = 'hold-timeout';
/** Patch id: a definition with `notify` sends its run events through the `notify` activity. */
const NOTIFY = 'notify';
/** Patch id: a rerun (`input.rerun`) asks which outputs it can reuse before it starts any node. */
const RERUN = 'rerun';
/** Patch id: a partitioned node (a glob path) lists its partitions and runs one activity per partition. */
const PARTITIONS = 'partitions';

/** Milliseconds until the oldest hold times out, or undefined when nothing is held or there is no timeout. */
function holdExpiresInMs(run: RunTracker, timeout: DurationInput | undefined): number | undefined {
  const since = run.heldSince();
  if (since === undefined || timeout === undefined) return undefined;
  return Date.parse(since) + durationMs(timeout) - Date.parse(now());
}

export async function pipeline(input: PipelineInput): Promise<PipelineResult> {
  const { definition, ref, run: parameters } = await resolveDefinition(input);
  const parallelism = resolveParallelism(definition.defaults, input.options?.parallelism);
  // A rerun plans once, in its first generation; later ones carry the reused nodes in their statuses.
  const rerun = input.rerun !== undefined && input.carried === undefined && patched(RERUN);
  const reused = rerun ? (await planReuse(definition, input.rerun as RerunInput)).reuse : undefined;
  const run = new RunTracker(definition, {
    parallelism,
    now: now(),
    carried: input.carried,
    run: parameters,
    rerun: input.rerun,
    reused,
  });
  const ids = { workflowId: workflowInfo().workflowId, runId: workflowInfo().firstExecutionRunId };
  const notifier =
    definition.notify !== undefined && patched(NOTIFY)
      ? new Notifier(definition.notify, ids, input.carried?.notified)
      : undefined;
  const nodes = new RunningNodes({
    succeeded: (unit, result) => run.succeeded(unit, result, now()),
    failed: (unit, err, reason) => {
      if (reason !== undefined && isCancellation(err)) run.interrupted(unit, reason, cancelCheckpoint(err), now());
      else if (run.failed(unit, describeNodeFailure(err), now())) nodes.cancelAll('fail-fast');
    },
  });
  const indexState = createStateIndex(input.options?.searchAttributes === true, definition.name);
  const report = (): void => {
    setCurrentDetails(run.details());
    indexState(run.state());
  };
  const wantsContinueAsNew = (): boolean => {
    const info = workflowInfo();
    const limit = input.options?.historyEventLimit;
    return info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
  };
  /** Activities running now: a partitioned unit counts each of its running partitions. */
  const busy = (): number => nodes.size + run.partitions.extraSlots();
  /** Ends the run once its nodes have stopped: drops its staging, reports the outcome. */
  const end = async (outcome: RunOutcome): Promise<RunStatus> => {
    run.finish(outcome, now());
    // The nodes of a cancelled run were just cancelled: wait until they acknowledge.
    if (outcome === 'cancelled') await condition(() => nodes.size === 0);
    // Only runs with nodes that write staging drop it; runs recorded before the patch always dropped.
    const staging = definition.nodes.some((n) => mayLeaveStaging(n.type));
    if (staging && (run.mayHaveStaging() || !patched(DROP_ONLY_WRITTEN_STAGING)))
      await dropRunStaging(ids.workflowId, ids.runId);
    report();
    pipelineMetrics.runEnded({ pipeline: definition.name, outcome, durationMs: run.durationMs(now()) });
    const status = run.status();
    await notifier?.end(status, now());
    return status;
  };
  handleMessages(run, nodes, now);

  try {
    for (;;) {
      run.skipUnreachable(now());
      if (!run.draining() && !wantsContinueAsNew())
        nodes.launch(run.startReady(parallelism - busy(), now()), (unit) => {
          const onQueueWait = (queue: string | undefined): void => run.waitingForWorker(unit, queue);
          if (run.partitions.isPartitioned(unit) && patched(PARTITIONS))
            return runPartitions(
              unit,
              run.activityInput(unit, ids),
              run.optionsOf(unit),
              run.executions(unit),
              {
                run,
                parallelism,
                busy,
                mayStart: () => !run.draining() && !wantsContinueAsNew(),
              },
              onQueueWait,
            );
          return scheduleNode(run.activityInput(unit, ids), run.optionsOf(unit), run.executions(unit), onQueueWait);
        });
      run.passed();
      if (nodes.size === 0 && run.isDone()) break;
      if (nodes.size === 0 && run.mayContinueAsNew() && wantsContinueAsNew()) {
        await notifier?.flush();
        await condition(allHandlersFinished);
        // A run by reference keeps the version it loaded, even if `latest` has moved on since.
        const carried = { ...run.carry(), ...(notifier ? { notified: notifier.carry() } : {}) };
        await continueAsNew<PipelineWorkflow>({ ...input, ...(ref ? { ref } : {}), carried });
      }
      notifier?.observe(run.nodes.view(), () => run.status(), now());
      report();
      const seen = run.version;
      const expiresInMs = holdExpiresInMs(run, definition.defaults.holdTimeout);
      if (expiresInMs === undefined || !patched(HOLD_TIMEOUT)) await condition(() => run.version !== seen);
      else if (!(await condition(() => run.version !== seen, Math.max(1, expiresInMs))) && run.failHeld(now()))
        nodes.cancelAll('fail-fast');
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // The run itself was cancelled: running nodes acknowledge, then the run ends cancelled.
    nodes.cancelAll('run-cancelled');
    await CancellationScope.nonCancellable(() => end('cancelled'));
    throw err;
  }
  const status = await end(run.outcome());
  if (status.state === 'failed')
    throw pipelineFailure(
      definition.name,
      status.nodes.filter((n) => n.state === 'failed'),
    );
  return { status };
}
