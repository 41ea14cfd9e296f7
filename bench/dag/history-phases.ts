/**
 * Where a run's wall time goes, read from its history (server timestamps; the server runs on this machine, so they
 * compare with the client's clock). Used to tell the interpreter's cost from Temporal's and from the node's own.
 */
import type { History } from '@temporalio/common/lib/proto-utils';

/** Milliseconds spent in each phase of one run. */
export interface RunPhases {
  /** Workflow tasks: scheduled to picked up by the worker (summed over the run). */
  readonly wftQueueMs: number;
  /** Workflow tasks: picked up to completed, i.e. the worker running workflow code (summed). */
  readonly wftRunMs: number;
  readonly workflowTasks: number;
  /** Activities: scheduled to started, the largest one. */
  readonly activityQueueMaxMs: number;
  /** Activities: started to completed (the node's own run time plus reporting), the largest one. */
  readonly activityRunMaxMs: number;
  /** Execution started to first activity scheduled. */
  readonly firstScheduleMs: number;
  /** Last activity completed to execution completed. */
  readonly closeMs: number;
  /** Execution started to execution completed, as the server saw it. */
  readonly serverMs: number;
}

type Event = NonNullable<History['events']>[number];

const at = (e: Event | undefined): number =>
  e?.eventTime ? Number(e.eventTime.seconds ?? 0) * 1_000 + (e.eventTime.nanos ?? 0) / 1e6 : Number.NaN;

/** Splits one closed run's history into the phases of {@link RunPhases}. */
export function runPhases(history: History): RunPhases {
  const events = history.events ?? [];
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const gap = (from: unknown, to: Event): number => at(to) - at(byId.get(Number(from)));
  let wftQueueMs = 0;
  let wftRunMs = 0;
  let workflowTasks = 0;
  let activityQueueMaxMs = 0;
  let activityRunMaxMs = 0;
  for (const e of events) {
    if (e.workflowTaskStartedEventAttributes)
      wftQueueMs += gap(e.workflowTaskStartedEventAttributes.scheduledEventId, e);
    if (e.workflowTaskCompletedEventAttributes) {
      wftRunMs += gap(e.workflowTaskCompletedEventAttributes.startedEventId, e);
      workflowTasks += 1;
    }
    const started = e.activityTaskStartedEventAttributes;
    if (started) activityQueueMaxMs = Math.max(activityQueueMaxMs, gap(started.scheduledEventId, e));
    const completed = e.activityTaskCompletedEventAttributes;
    if (completed) activityRunMaxMs = Math.max(activityRunMaxMs, gap(completed.startedEventId, e));
  }
  const first = events[0];
  const last = events[events.length - 1];
  const firstScheduled = events.find((e) => e.activityTaskScheduledEventAttributes);
  const lastCompleted = [...events].reverse().find((e) => e.activityTaskCompletedEventAttributes);
  return {
    wftQueueMs,
    wftRunMs,
    workflowTasks,
    activityQueueMaxMs,
    activityRunMaxMs,
    firstScheduleMs: at(firstScheduled) - at(first),
    closeMs: at(last) - at(lastCompleted),
    serverMs: at(last) - at(first),
  };
}

/** The server-side time of a run's first and last events, to place them against the client's clock. */
export function runBounds(history: History): { startedAt: number; closedAt: number } {
  const events = history.events ?? [];
  return { startedAt: at(events[0]), closedAt: at(events[events.length - 1]) };
}
