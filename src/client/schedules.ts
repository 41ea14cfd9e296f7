/**
 * Pipeline schedules on Temporal Schedules: the server keeps the spec, the overlap policy, the catch-up window, the
 * pause state and backfills, and starts each run; this module validates before anything is created, names the
 * schedule's runs as every other run is named (summary, details, memo, search attributes), and reads schedules back.
 *
 * ```ts
 * await pw.schedules.create({ scheduleId: 'orders-nightly', ref: 'orders@latest', cron: '0 2 * * *' });
 * ```
 */
import type { Client, ScheduleDescription, ScheduleOptionsStartWorkflowAction, ScheduleSpec } from '@temporalio/client';
import { ScheduleAlreadyRunning, ScheduleNotFoundError } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { msToTs } from '@temporalio/common/lib/time';
import { formatRef, tryParseRef } from '../model/definition-ref';
import { parseDuration } from '../model/duration';
import { InvalidDefinitionError } from '../model/errors';
import type { PipelineDefinition } from '../model/schema';
import {
  OVERLAP_POLICIES,
  pickTiming,
  timingProblems,
  type OverlapPolicy,
  type ScheduleTiming,
} from '../model/schedule/timing';
import {
  PIPELINE_NAME,
  PIPELINE_STATE,
  TEMPORAL_SCHEDULED_BY_ID,
  TEMPORAL_SCHEDULED_START_TIME,
} from '../model/search-attributes';
import { WORKFLOW_TYPE, type PipelineInput, type PipelineWorkflow } from '../engine/run-input';
import type { NodeDescription } from '../model/nodes/describe';
import { InvalidOptionError } from './errors';
import { definitionHash } from './definition-hash';
import { staticDetails, staticSummary } from './metadata';
import { SCHEDULE_ID_RE } from './visibility';
import type { ExecutionState } from './types';
import { executionStateOf } from './execution-state';

/** What a schedule runs and when. Give `definition` (inline), or `ref` (published), or both (checked against each other). */
export interface ScheduleCreateOptions extends ScheduleTiming {
  readonly scheduleId: string;
  /** An inline definition, carried in every run's input. */
  readonly definition?: unknown;
  /** A published definition: `name@version` stays pinned, `name@latest` resolves at every fire. */
  readonly ref?: string;
  /** Values of the definition's params, the same for every run (templates still see each run's logical date). */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Create the schedule paused. */
  readonly paused?: boolean;
  /** Why (shown by `describe`, and in the Web UI). */
  readonly note?: string;
  readonly parallelism?: number;
  readonly taskQueue?: string;
  readonly nodeTypes?: readonly NodeDescription[];
}

/** Changes to a schedule: the options given replace the schedule's; the rest stay. */
export type ScheduleUpdateOptions = Partial<Omit<ScheduleCreateOptions, 'scheduleId' | 'paused' | 'note'>>;

export interface ScheduleRun {
  readonly workflowId: string;
  readonly runId: string;
  /** The time the schedule meant the run for (its logical date). */
  readonly scheduledAt: Date;
  readonly startedAt: Date;
  readonly state: ExecutionState;
  /** Why a run that did not complete ended as it did. */
  readonly message?: string;
}

export interface ScheduleView {
  readonly scheduleId: string;
  /** `orders@latest`, `orders@3`, or `orders@1 (inline)`. */
  readonly target: string;
  readonly pipeline?: string;
  readonly timing: ScheduleTiming;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly paused: boolean;
  readonly note?: string;
  readonly nextFires: readonly Date[];
  /** The latest runs (up to 10), newest first. */
  readonly recentRuns: readonly ScheduleRun[];
  readonly runningRuns: number;
  readonly actionsTaken: number;
  readonly skippedOverlap: number;
  readonly missedCatchupWindow: number;
}

/** Where a backfill stands: its runs by outcome, against the fire times in its range. */
export interface BackfillProgress {
  readonly from: Date;
  readonly to: Date;
  /** Fire times the schedule has in the range: the runs the backfill starts. */
  readonly expected: number;
  readonly running: number;
  readonly completed: number;
  readonly failed: number;
  /** Cancelled, terminated or timed out. */
  readonly other: number;
  readonly done: boolean;
  readonly runs: readonly {
    readonly workflowId: string;
    readonly scheduledAt?: Date;
    readonly state: ExecutionState;
  }[];
}

export interface BackfillOptions {
  /** The first fire time to run (inclusive). */
  readonly from: Date | string;
  /** The last fire time to run (inclusive). */
  readonly to: Date | string;
  /** Default `buffer-all`: one run after another, none dropped (`allow-all` runs them at once). */
  readonly overlap?: OverlapPolicy;
}

export interface ScheduleListItem {
  readonly scheduleId: string;
  readonly target?: string;
  readonly timing: ScheduleTiming;
  readonly paused: boolean;
  readonly note?: string;
  readonly nextFire?: Date;
  readonly lastRun?: { readonly scheduledAt: Date; readonly workflowId: string };
}

/** Thrown when no schedule has the id. */
export class ScheduleMissingError extends Error {
  constructor(readonly scheduleId: string) {
    super(`no schedule "${scheduleId}"; \`pipewright schedule list\` shows the schedules there are`);
    this.name = 'ScheduleMissingError';
  }
}

/** Thrown when a schedule with the id exists already. */
export class ScheduleExistsError extends Error {
  constructor(readonly scheduleId: string) {
    super(
      `a schedule "${scheduleId}" exists already; change it with \`pipewright schedule update\`, or delete it first`,
    );
    this.name = 'ScheduleExistsError';
  }
}

/** What the schedules module needs of the client: its Temporal client, defaults and run validation. */
export interface ScheduleHost {
  readonly temporal: Client;
  readonly taskQueue: string;
  usesSearchAttributes(): Promise<boolean>;
  validateForRun(
    definition: unknown,
    options: { params?: Readonly<Record<string, unknown>>; nodeTypes?: readonly NodeDescription[] },
  ):
    | { ok: true; definition: PipelineDefinition; params?: Readonly<Record<string, unknown>> }
    | { ok: false; problems: readonly { path: string; message: string }[] };
}

const TEMPORAL_OVERLAP = {
  skip: 'SKIP',
  'buffer-one': 'BUFFER_ONE',
  'buffer-all': 'BUFFER_ALL',
  'cancel-other': 'CANCEL_OTHER',
  'terminate-other': 'TERMINATE_OTHER',
  'allow-all': 'ALLOW_ALL',
} as const satisfies Record<OverlapPolicy, string>;

/**
 * The memo of the schedule's start action, which every run it starts carries: the run's pipeline and version (as
 * every run's memo has), the schedule, what it runs and its timing as written (Temporal keeps a cron only as
 * calendars). It is the action's, not the schedule's, so that `update` changes it.
 */
interface ScheduleMemo {
  readonly pipeline: string;
  readonly version: string;
  readonly runKey: string;
  readonly schedule: string;
  readonly target: string;
  readonly definitionHash?: string;
  readonly timing: ScheduleTiming;
}

function checkId(scheduleId: string): void {
  if (!SCHEDULE_ID_RE.test(scheduleId))
    throw new InvalidOptionError(
      '--id',
      `"${scheduleId}" is not a schedule id: letters, digits, "_", "-" and ".", starting with a letter or digit`,
    );
}

function checkTiming(timing: ScheduleTiming): void {
  const [first] = timingProblems(timing);
  if (first) throw new InvalidOptionError(first.option, first.message);
}

function temporalSpec(timing: ScheduleTiming): ScheduleSpec {
  const ms = (v: ScheduleTiming['every']): number | undefined => (v === undefined ? undefined : parseDuration(v));
  const jitter = ms(timing.jitter);
  return {
    ...(timing.cron !== undefined ? { cronExpressions: [timing.cron] } : {}),
    ...(timing.every !== undefined
      ? { intervals: [{ every: ms(timing.every) as number, ...(timing.offset ? { offset: ms(timing.offset) } : {}) }] }
      : {}),
    ...(timing.timezone !== undefined ? { timezone: timing.timezone } : {}),
    ...(jitter ? { jitter } : {}),
  };
}

/** The schedule's timing as written, from its memo (Temporal keeps a cron only as calendars). */
const timingOf = (memo: Record<string, unknown> | undefined): ScheduleTiming =>
  ((memo?.timing as ScheduleTiming | undefined) ?? {}) as ScheduleTiming;

export class PipewrightSchedules {
  constructor(private readonly host: ScheduleHost) {}

  /** Validates everything (definition, params, timing), then creates the schedule. */
  async create(options: ScheduleCreateOptions): Promise<ScheduleView> {
    checkId(options.scheduleId);
    const built = await this.build(options);
    try {
      await this.host.temporal.schedule.create<PipelineWorkflow>({
        scheduleId: options.scheduleId,
        spec: temporalSpec(options),
        action: built.action,
        policies: {
          overlap: TEMPORAL_OVERLAP[options.overlap ?? 'skip'],
          ...(options.catchupWindow !== undefined ? { catchupWindow: parseDuration(options.catchupWindow) } : {}),
        },
        state: { paused: options.paused === true, ...(options.note !== undefined ? { note: options.note } : {}) },
      });
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) throw new ScheduleExistsError(options.scheduleId);
      throw err;
    }
    return this.describe(options.scheduleId);
  }

  /** Replaces the options given, validated as for {@link create}; the schedule keeps its state and history. */
  async update(scheduleId: string, changes: ScheduleUpdateOptions): Promise<ScheduleView> {
    const handle = this.handle(scheduleId);
    const current = await this.raw(scheduleId);
    const input = (current.action.args?.[0] ?? {}) as PipelineInput;
    const timing: ScheduleTiming = { ...timingOf(current.action.memo), ...pickTiming(changes) };
    const merged: ScheduleCreateOptions = {
      scheduleId,
      ...timing,
      ...(changes.definition !== undefined || changes.ref !== undefined
        ? { definition: changes.definition, ref: changes.ref }
        : input.ref !== undefined
          ? { ref: input.ref }
          : { definition: input.definition }),
      params: changes.params ?? input.params,
      parallelism: changes.parallelism ?? input.options?.parallelism,
      taskQueue: changes.taskQueue ?? current.action.taskQueue,
      nodeTypes: changes.nodeTypes,
    };
    const built = await this.build(merged);
    await handle.update((previous) => ({
      ...previous,
      spec: temporalSpec(timing),
      action: built.action,
      policies: {
        ...previous.policies,
        ...(changes.overlap !== undefined ? { overlap: TEMPORAL_OVERLAP[changes.overlap] } : {}),
        ...(changes.catchupWindow !== undefined ? { catchupWindow: parseDuration(changes.catchupWindow) } : {}),
      },
    }));
    return this.describe(scheduleId);
  }

  async pause(scheduleId: string, note?: string): Promise<ScheduleView> {
    await this.call(scheduleId, (h) => h.pause(note ?? 'paused with pipewright'));
    return this.describe(scheduleId);
  }

  async unpause(scheduleId: string, note?: string): Promise<ScheduleView> {
    await this.call(scheduleId, (h) => h.unpause(note ?? 'unpaused with pipewright'));
    return this.describe(scheduleId);
  }

  /** Starts a run now (its logical date is now), under the schedule's overlap policy unless one is given. */
  async trigger(scheduleId: string, overlap?: OverlapPolicy): Promise<void> {
    if (overlap !== undefined && !OVERLAP_POLICIES.includes(overlap))
      throw new InvalidOptionError(
        '--overlap',
        `unknown policy "${overlap}"; use one of ${OVERLAP_POLICIES.join(', ')}`,
      );
    await this.call(scheduleId, (h) => h.trigger(overlap === undefined ? undefined : TEMPORAL_OVERLAP[overlap]));
  }

  /**
   * Runs every fire time of the schedule between `from` and `to` (both inclusive), each with its own logical date,
   * as if that time were now. Returns the range's progress right after.
   */
  async backfill(scheduleId: string, options: BackfillOptions): Promise<BackfillProgress> {
    const range = backfillRange(options);
    const overlap = options.overlap ?? 'buffer-all';
    if (!OVERLAP_POLICIES.includes(overlap))
      throw new InvalidOptionError(
        '--overlap',
        `unknown policy "${overlap}"; use one of ${OVERLAP_POLICIES.join(', ')}`,
      );
    // Widened by a millisecond each way, so that fires at exactly `from` and `to` are in (whichever ends Temporal's
    // range includes).
    await this.call(scheduleId, (h) =>
      h.backfill({
        start: new Date(range.from.getTime() - 1),
        end: new Date(range.to.getTime() + 1),
        overlap: TEMPORAL_OVERLAP[overlap],
      }),
    );
    return this.backfillProgress(scheduleId, range);
  }

  /** The runs of `scheduleId` meant for fire times between `from` and `to`, by outcome. */
  async backfillProgress(scheduleId: string, options: Pick<BackfillOptions, 'from' | 'to'>): Promise<BackfillProgress> {
    checkId(scheduleId);
    const { from, to } = backfillRange(options);
    const { namespace } = this.host.temporal.options;
    let matching: temporal.api.workflowservice.v1.IListScheduleMatchingTimesResponse;
    try {
      matching = await this.host.temporal.workflowService.listScheduleMatchingTimes({
        namespace,
        scheduleId,
        startTime: msToTs(from.getTime() - 1),
        endTime: msToTs(to.getTime()),
      });
    } catch (err) {
      if ((err as { code?: number }).code === 5) throw new ScheduleMissingError(scheduleId);
      throw err;
    }
    const expected = matching.startTime?.length ?? 0;
    const query =
      `${TEMPORAL_SCHEDULED_BY_ID.name} = '${scheduleId}' AND ` +
      `${TEMPORAL_SCHEDULED_START_TIME.name} >= '${new Date(from.getTime() - 1000).toISOString()}' AND ` +
      `${TEMPORAL_SCHEDULED_START_TIME.name} <= '${new Date(to.getTime() + 1000).toISOString()}'`;
    const runs: { workflowId: string; scheduledAt?: Date; state: ExecutionState }[] = [];
    // Visibility compares the times as text, so the query is a second wider each way and the exact range is kept here.
    for await (const info of this.host.temporal.workflow.list({ query })) {
      const at = info.typedSearchAttributes.get(TEMPORAL_SCHEDULED_START_TIME);
      if (at !== undefined && (at < from || at > to)) continue;
      runs.push({
        workflowId: info.workflowId,
        scheduledAt: info.typedSearchAttributes.get(TEMPORAL_SCHEDULED_START_TIME),
        state: executionStateOf(info.status.name),
      });
    }
    const count = (state: ExecutionState): number => runs.filter((r) => r.state === state).length;
    const completed = count('completed');
    const failed = count('failed');
    const running = count('running');
    const other = runs.length - completed - failed - running - count('continued-as-new');
    runs.sort((a, b) => (a.scheduledAt?.getTime() ?? 0) - (b.scheduledAt?.getTime() ?? 0));
    return {
      from,
      to,
      expected,
      running,
      completed,
      failed,
      other,
      done: running === 0 && completed + failed + other >= expected,
      runs,
    };
  }

  async delete(scheduleId: string): Promise<void> {
    await this.call(scheduleId, (h) => h.delete());
  }

  /** The pipeline schedules of the namespace (schedules of other workflow types are left out). */
  async list(): Promise<ScheduleListItem[]> {
    const ids: string[] = [];
    for await (const s of this.host.temporal.schedule.list())
      if (s.action?.workflowType === WORKFLOW_TYPE) ids.push(s.scheduleId);
    const items = await Promise.all(
      ids.map(async (scheduleId): Promise<ScheduleListItem | undefined> => {
        const d = await this.raw(scheduleId).catch(() => undefined);
        if (!d) return undefined; // deleted meanwhile
        const memo = d.action.memo as Partial<ScheduleMemo> | undefined;
        const last = d.info.recentActions.at(-1);
        return {
          scheduleId,
          target: memo?.target,
          timing: { ...timingOf(d.action.memo), overlap: overlapName(d.policies.overlap) },
          paused: d.state.paused,
          note: d.state.note,
          nextFire: d.info.nextActionTimes[0],
          ...(last ? { lastRun: { scheduledAt: last.scheduledAt, workflowId: last.action.workflow.workflowId } } : {}),
        };
      }),
    );
    return items
      .filter((i): i is ScheduleListItem => i !== undefined)
      .sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
  }

  /** The schedule's spec, next 5 fires, latest runs with their outcome, and whether (and why) it is paused. */
  async describe(scheduleId: string): Promise<ScheduleView> {
    const d = await this.raw(scheduleId);
    const memo = d.action.memo as Partial<ScheduleMemo> | undefined;
    const input = (d.action.args?.[0] ?? {}) as PipelineInput;
    const recent = d.info.recentActions.slice(-10).reverse();
    const recentRuns = await Promise.all(
      recent.map(async (a): Promise<ScheduleRun> => {
        const { workflowId, firstExecutionRunId: runId } = a.action.workflow;
        const run = { workflowId, runId, scheduledAt: a.scheduledAt, startedAt: a.takenAt };
        return { ...run, ...(await this.outcome(workflowId, runId)) };
      }),
    );
    return {
      scheduleId,
      target: memo?.target ?? (input.ref ? input.ref : 'inline definition'),
      pipeline: memo?.pipeline,
      timing: { ...timingOf(d.action.memo), overlap: overlapName(d.policies.overlap) },
      ...(input.params ? { params: input.params } : {}),
      paused: d.state.paused,
      note: d.state.note,
      nextFires: d.info.nextActionTimes.slice(0, 5),
      recentRuns,
      runningRuns: d.info.runningActions.length,
      actionsTaken: d.info.numActionsTaken,
      skippedOverlap: d.info.numActionsSkippedOverlap,
      missedCatchupWindow: d.info.numActionsMissedCatchupWindow,
    };
  }

  private async outcome(workflowId: string, runId: string): Promise<{ state: ExecutionState; message?: string }> {
    const handle = this.host.temporal.workflow.getHandle(workflowId, runId);
    try {
      const d = await handle.describe();
      const state = executionStateOf(d.status.name);
      if (state === 'running' || state === 'completed') return { state };
      const message = await handle.result().then(
        () => undefined,
        (err: unknown) => (err as { cause?: Error }).cause?.message ?? (err as Error).message,
      );
      return { state, ...(message ? { message: message.split('\n')[0] } : {}) };
    } catch {
      return { state: 'unknown' };
    }
  }

  /** The start action and memo of a schedule, after validating what it runs and when. */
  private async build(options: ScheduleCreateOptions): Promise<{
    action: ScheduleOptionsStartWorkflowAction<PipelineWorkflow>;
  }> {
    checkTiming(options);
    const parsed = options.ref !== undefined ? tryParseRef(options.ref) : undefined;
    if (options.ref !== undefined && !parsed)
      throw new InvalidOptionError('reference', `"${options.ref}" is not name@version (or name@latest)`);
    if (options.ref === undefined && options.definition === undefined)
      throw new InvalidOptionError('definition', 'give a definition file or a published name@version');
    let valid: PipelineDefinition | undefined;
    let params = options.params;
    if (options.definition !== undefined) {
      const validation = this.host.validateForRun(options.definition, options);
      if (!validation.ok) throw new InvalidDefinitionError(validation.problems, options.ref);
      valid = validation.definition;
      params = validation.params;
      if (parsed && valid.name !== parsed.name)
        throw new InvalidOptionError(
          'reference',
          `${options.ref} names pipeline ${parsed.name}, the definition is ${valid.name}`,
        );
    }
    if (options.parallelism !== undefined && (!Number.isInteger(options.parallelism) || options.parallelism < 1))
      throw new InvalidOptionError('--parallelism', `must be a positive integer, got ${options.parallelism}`);
    const name = parsed?.name ?? (valid as PipelineDefinition).name;
    // A pinned reference keeps its version; `latest` stays `latest`, for the workflow to resolve at every fire.
    const ref = parsed ? formatRef(parsed) : undefined;
    const version = parsed?.version ?? (valid as PipelineDefinition).version;
    const target = ref ?? `${name}@${version} (inline)`;
    const hash = valid && !parsed ? definitionHash(valid) : undefined;
    const timing = pickTiming(options);
    const runKey = `schedule ${options.scheduleId}`;
    const memo: ScheduleMemo = {
      pipeline: name,
      version,
      runKey,
      schedule: options.scheduleId,
      target,
      ...(hash ? { definitionHash: hash } : {}),
      timing,
    };
    const indexed = await this.host.usesSearchAttributes();
    const input: PipelineInput = {
      ...(ref ? { ref } : { definition: options.definition }),
      ...(params !== undefined && Object.keys(params).length > 0 ? { params } : {}),
      options: {
        ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
        ...(indexed ? { searchAttributes: true } : {}),
      },
    };
    const action: ScheduleOptionsStartWorkflowAction<PipelineWorkflow> = {
      type: 'startWorkflow',
      workflowType: WORKFLOW_TYPE,
      // Temporal appends each fire's time: `orders--orders-nightly-2026-12-02T02:00:00Z`.
      workflowId: `${name}--${options.scheduleId}`,
      taskQueue: options.taskQueue ?? this.host.taskQueue,
      args: [input],
      memo: { ...memo },
      ...(indexed
        ? {
            typedSearchAttributes: [
              { key: PIPELINE_NAME, value: name },
              { key: PIPELINE_STATE, value: 'running' },
            ],
          }
        : {}),
      staticSummary: valid
        ? `${staticSummary(valid)} (schedule ${options.scheduleId})`
        : `${target} (schedule ${options.scheduleId})`,
      ...(valid ? { staticDetails: staticDetails(valid, runKey, options.parallelism, hash, params) } : {}),
    };
    return { action };
  }

  private handle(scheduleId: string) {
    checkId(scheduleId);
    return this.host.temporal.schedule.getHandle(scheduleId);
  }

  private async raw(scheduleId: string): Promise<ScheduleDescription> {
    try {
      return await this.handle(scheduleId).describe();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw new ScheduleMissingError(scheduleId);
      throw err;
    }
  }

  private async call(
    scheduleId: string,
    fn: (h: ReturnType<Client['schedule']['getHandle']>) => Promise<void>,
  ): Promise<void> {
    try {
      await fn(this.handle(scheduleId));
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw new ScheduleMissingError(scheduleId);
      throw err;
    }
  }
}

function overlapName(policy: string | undefined): OverlapPolicy {
  const found = (Object.entries(TEMPORAL_OVERLAP) as [OverlapPolicy, string][]).find(([, v]) => v === policy);
  return found?.[0] ?? 'skip';
}

/** The backfill range as dates, `from` not after `to`. */
function backfillRange(options: Pick<BackfillOptions, 'from' | 'to'>): { from: Date; to: Date } {
  const date = (v: Date | string, flag: string): Date => {
    const d = v instanceof Date ? v : new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    if (Number.isNaN(d.getTime()))
      throw new InvalidOptionError(flag, `${JSON.stringify(String(v))} is not a date (YYYY-MM-DD) or an ISO 8601 time`);
    return d;
  };
  const from = date(options.from, '--from');
  const to = date(options.to, '--to');
  if (from > to) throw new InvalidOptionError('--to', `${to.toISOString()} is before --from ${from.toISOString()}`);
  return { from, to };
}
