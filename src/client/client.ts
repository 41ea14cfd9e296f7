/**
 * The typed client: start, inspect, pause, resume, cancel and list pipeline runs through the Temporal client SDK.
 *
 * ```ts
 * const pw = await PipewrightClient.connect(loadConfig());
 * const run = await pw.start(loadDefinitionFile('examples/fanout.yaml'), { runKey: 'nightly-2026-11-22' });
 * const outcome = await pw.watch(run.workflowId, (s) => console.log(s.state, s.counts));
 * await pw.close();
 * ```
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';
import { Client, Connection, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  CancelledFailure,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { encryptionDataConverter } from '../platform/codec/data-converter';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { Config } from '../platform/config/config';
import { temporalConnectionOptions } from '../platform/config/temporal-connection';
import { MAX_PARALLELISM } from '../model/limits';
import { PIPELINE_NAME, PIPELINE_STATE } from '../model/search-attributes';
import type { PauseMode, RunStatus } from '../model/state';
import { TERMINAL_RUN_STATES } from '../model/state';
import type { PipelineDefinition } from '../model/schema';
import type { ValidationResult } from '../model/validate';
import { validateDefinition } from '../model/validate';
import type { NodeDescription } from '../model/nodes/describe';
import { rowsOf } from '../engine/heartbeat-details';
import { createCatalog } from '../model/catalog';
import { formatRef, tryParseRef } from '../model/definition-ref';
import {
  WORKFLOW_TYPE,
  type PipelineInput,
  type PipelineResult,
  type PipelineWorkflow,
  type RerunInput,
} from '../engine/run-input';
import { failRunUpdate, retryNodeUpdate, setPausedUpdate, skipNodeUpdate, statusQuery } from '../engine/messages';
import type { UpdateDefinition } from '@temporalio/common';
import {
  InvalidOptionError,
  RunNotFoundError,
  RunRefusedError,
  StatusUnavailableError,
  TemporalUnreachableError,
} from './errors';
import { InvalidDefinitionError } from '../model/errors';
import { definitionHash } from './definition-hash';
import { checkRunKey, defaultRunKey, parseWorkflowId, workflowIdFor } from './ids';
import { readMemo, staticDetails, staticSummary } from './metadata';
import { refusedReason } from './probe';
import { hasPipelineSearchAttributes } from './search-registration';
import type { RunMemo } from './metadata';
import type {
  NodeProgress,
  RunOutcome,
  RunOutcomeKind,
  RunSummary,
  StartedRun,
  StartOptions,
  StartReferenceOptions,
  UnpolledNode,
  ValidateClientOptions,
  WatchOptions,
} from './types';
import type { ListFilter } from './visibility';
import { listQuery } from './visibility';
import { isDeadlineExceeded, isNotFound, mapTemporalError, reasonOf } from './temporal-errors';
import { PipewrightSchedules } from './schedules';
import { readRunStart, rerunFromOf, rerunInput, type RerunOptions } from './rerun';
import { executionStateOf } from './execution-state';

export interface PipewrightClientOptions {
  /** The task queue runs are started on (the one workers poll); default `pipewright`. */
  readonly taskQueue?: string;
  /** Your own node types, so `validate` and `start` know them. */
  readonly nodeTypes?: readonly NodeDescription[];
  /** For error messages; defaults to the connection's address when known. */
  readonly address?: string;
  /** How long a status query waits for a worker to answer; default 10 s. */
  readonly queryTimeoutMs?: number;
  /**
   * Whether runs get the `PipelineName` and `PipelineState` search attributes and `list` filters on them. Default:
   * asked of the server once (true when the namespace has both registered as Keyword).
   */
  readonly searchAttributes?: boolean;
}

export interface ConnectOptions extends Omit<PipewrightClientOptions, 'taskQueue' | 'address'> {
  /** How long to wait for the server; default 5 s. */
  readonly connectTimeoutMs?: number;
}

export interface StatusOptions {
  /** How long to wait for a worker to answer; default the client's `queryTimeoutMs`. */
  readonly timeoutMs?: number;
}

const UPDATE_TIMEOUT_MS = 30_000;

/** A logical date as ISO 8601; a string that is not a timestamp is refused before anything starts. */
function isoDate(value: Date | string): string {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms))
    throw new InvalidOptionError(
      'logicalDate',
      `${JSON.stringify(String(value))} is not a date or timestamp (ISO 8601)`,
    );
  return new Date(ms).toISOString();
}

export class PipewrightClient {
  readonly taskQueue: string;
  private readonly nodeTypes: readonly NodeDescription[];
  private readonly address: string;
  private readonly queryTimeoutMs: number;
  private searchAttributes?: Promise<boolean>;
  private ownedConnection?: Connection;
  /** Schedules of pipeline runs (Temporal Schedules): create, list, describe, pause, trigger, update, delete. */
  readonly schedules: PipewrightSchedules;

  /** Wraps an existing Temporal client (its connection stays yours to close). */
  constructor(
    readonly temporal: Client,
    options: PipewrightClientOptions = {},
  ) {
    this.taskQueue = options.taskQueue ?? 'pipewright';
    this.nodeTypes = options.nodeTypes ?? [];
    this.address = options.address ?? 'the configured address';
    this.queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
    if (options.searchAttributes !== undefined) this.searchAttributes = Promise.resolve(options.searchAttributes);
    this.schedules = new PipewrightSchedules(this);
  }

  /**
   * Connects with configuration from `loadConfig()`, encrypting payloads when it holds codec keys; throws
   * {@link TemporalUnreachableError} when nobody answers, a `ConfigError` when a TLS file cannot be used.
   */
  static async connect(config: Config, options: ConnectOptions = {}): Promise<PipewrightClient> {
    const { address, namespace, taskQueue } = config.temporal;
    // Before any network: a bad certificate is a setting to fix, not an unreachable server.
    const connectionOptions = temporalConnectionOptions(config.temporal);
    const refused = await refusedReason(address);
    if (refused) throw new TemporalUnreachableError(address, refused);
    let connection: Connection;
    try {
      connection = await Connection.connect({
        ...connectionOptions,
        connectTimeout: options.connectTimeoutMs ?? 5_000,
      });
    } catch (err) {
      throw new TemporalUnreachableError(address, reasonOf(err));
    }
    const dataConverter = encryptionDataConverter(config.codecKeys);
    const client = new PipewrightClient(new Client({ connection, namespace, dataConverter }), {
      ...options,
      taskQueue,
      address,
    });
    client.ownedConnection = connection;
    return client;
  }

  get namespace(): string {
    return this.temporal.options.namespace;
  }

  /** Closes the connection if {@link connect} opened it. */
  async close(): Promise<void> {
    await this.ownedConnection?.close();
    this.ownedConnection = undefined;
  }

  /** Whether the namespace has pipewright's search attributes registered (asked once, then remembered). */
  usesSearchAttributes(): Promise<boolean> {
    this.searchAttributes ??= hasPipelineSearchAttributes(this.temporal.connection, this.namespace);
    return this.searchAttributes;
  }

  /** Validates a definition (parsed YAML/JSON or an object) against the built-ins and your node types. */
  validate(definition: unknown, options: ValidateClientOptions = {}): ValidationResult {
    return validateDefinition(definition, { catalog: createCatalog(options.nodeTypes ?? this.nodeTypes) });
  }

  /**
   * Validates, then starts a run with the id `<name>--<runKey>`. Starting a run key again returns the run already
   * there (`existing: true`), whether it is still running or has closed. An invalid definition throws
   * {@link InvalidDefinitionError} listing every problem, and nothing is started.
   */
  async start(definition: unknown, options: StartOptions = {}): Promise<StartedRun> {
    const validation = this.validateForRun(definition, options);
    if (!validation.ok) throw new InvalidDefinitionError(validation.problems);
    return this.launch({ definition }, validation.definition, validation.definition, options, validation.params);
  }

  /**
   * Validates for a run with `options.params`: for a definition that declares params or uses templates, the params
   * are checked (and typed) and the templates rendered, as the workflow will.
   */
  validateForRun(
    definition: unknown,
    options: StartOptions,
  ): ValidationResult & { readonly params?: Readonly<Record<string, unknown>> } {
    const catalog = createCatalog(options.nodeTypes ?? this.nodeTypes);
    const logicalDate = options.logicalDate === undefined ? undefined : isoDate(options.logicalDate);
    const run = { params: options.params, logicalDate: logicalDate ?? new Date().toISOString() };
    const validation = validateDefinition(definition, { catalog, run });
    return validation.ok ? { ...validation, params: validation.rendered?.params } : validation;
  }

  /**
   * Starts a run of a published definition (`name@version`, or `name@latest`), which the workflow loads from the
   * definitions registry (see `pipewright publish`). Pass the definition when you have it (the CLI loads it to
   * check the reference): it is validated, and shows in the Web UI's summary. A reference that names nothing
   * fails the run with `DefinitionNotFound`. Same run-key semantics as {@link start}.
   */
  async startReference(ref: string, options: StartReferenceOptions = {}): Promise<StartedRun> {
    const parsed = tryParseRef(ref);
    if (!parsed) throw new InvalidOptionError('reference', `"${ref}" is not name@version (or name@latest)`);
    let valid: PipelineDefinition | undefined;
    let params = options.params;
    if (options.definition !== undefined) {
      const validation = this.validateForRun(options.definition, options);
      if (!validation.ok) throw new InvalidDefinitionError(validation.problems, ref);
      valid = validation.definition;
      params = validation.params;
      if (valid.name !== parsed.name)
        throw new InvalidOptionError(
          'reference',
          `${ref} names pipeline ${parsed.name}, the definition is ${valid.name}`,
        );
    }
    const identity = { name: parsed.name, version: valid?.version ?? parsed.version };
    return this.launch({ ref: formatRef({ ...parsed, version: identity.version }) }, identity, valid, options, params);
  }

  /**
   * Starts a new run that repeats an ended one (same definition version, params and logical date): nodes that
   * succeeded there keep their outputs while those are still there, and the rest runs (see {@link RerunOptions}).
   * Throws {@link RunRefusedError} for a run still open or with nothing to rerun, and `StatusUnavailableError` when
   * no worker answers the ended run's status query.
   */
  async rerun(workflowId: string, options: RerunOptions = {}): Promise<StartedRun> {
    const from = rerunFromOf(options);
    const old = await this.describe(workflowId);
    if (old.executionState === 'running')
      throw new RunRefusedError(
        workflowId,
        'the run is still open: retry or skip a held node in place (pipewright retry, skip), or end it first (pipewright fail, cancel)',
      );
    const [status, start] = await Promise.all([this.status(workflowId), readRunStart(this.temporal, workflowId)]);
    const rerun = rerunInput(workflowId, start, status, from);
    const input = start.input;
    const startOptions: StartOptions = {
      runKey: options.runKey,
      parallelism: input.options?.parallelism,
      historyEventLimit: input.options?.historyEventLimit,
      taskQueue: old.taskQueue,
      params: status.params ?? input.params,
      logicalDate: status.logicalDate ?? input.logicalDate,
    };
    const extra = { rerun, rerunOf: workflowId };
    if (input.definition === undefined) {
      const ref = formatRef({ name: status.pipeline.name, version: status.pipeline.version });
      return this.launch({ ref }, status.pipeline, undefined, startOptions, startOptions.params, extra);
    }
    const validation = this.validateForRun(input.definition, startOptions);
    if (!validation.ok) throw new InvalidDefinitionError(validation.problems);
    return this.launch(
      { definition: input.definition },
      validation.definition,
      validation.definition,
      startOptions,
      validation.params,
      extra,
    );
  }

  private async launch(
    source: Pick<PipelineInput, 'definition' | 'ref'>,
    identity: { readonly name: string; readonly version: string },
    valid: PipelineDefinition | undefined,
    options: StartOptions,
    params: Readonly<Record<string, unknown>> | undefined,
    extra: { readonly rerun?: RerunInput; readonly rerunOf?: string } = {},
  ): Promise<StartedRun> {
    const runKey = checkRunKey(options.runKey ?? defaultRunKey());
    checkParallelism(options.parallelism);
    const workflowId = workflowIdFor(identity.name, runKey);
    // A published definition started without its text: the workflow loads it, and its hash is not known here.
    const hash = valid ? definitionHash(valid) : undefined;
    const memo: RunMemo = {
      pipeline: identity.name,
      version: identity.version,
      runKey,
      startToken: randomUUID(),
      ...(hash ? { definitionHash: hash } : {}),
      ...(extra.rerunOf ? { rerunOf: extra.rerunOf } : {}),
    };
    const indexed = await this.usesSearchAttributes();
    const logicalDate = options.logicalDate === undefined ? undefined : isoDate(options.logicalDate);
    const input: PipelineInput = {
      ...source,
      ...(params !== undefined && Object.keys(params).length > 0 ? { params } : {}),
      ...(logicalDate !== undefined ? { logicalDate } : {}),
      ...(extra.rerun ? { rerun: extra.rerun } : {}),
      options: {
        parallelism: options.parallelism,
        historyEventLimit: options.historyEventLimit,
        ...(indexed ? { searchAttributes: true } : {}),
      },
    };
    const started = { workflowId, runKey, pipeline: { name: identity.name, version: identity.version } };
    try {
      const handle = await this.temporal.workflow.start<PipelineWorkflow>(WORKFLOW_TYPE, {
        taskQueue: options.taskQueue ?? this.taskQueue,
        workflowId,
        args: [input],
        // A running run with this id is returned as is; a closed one makes the start fail (caught below).
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { ...memo },
        ...(indexed
          ? {
              typedSearchAttributes: [
                { key: PIPELINE_NAME, value: identity.name },
                { key: PIPELINE_STATE, value: 'running' },
              ],
            }
          : {}),
        staticSummary: valid ? staticSummary(valid) : `${identity.name}@${identity.version} (published)`,
        ...(valid
          ? { staticDetails: staticDetails(valid, runKey, options.parallelism, hash, params, extra.rerunOf) }
          : {}),
      });
      const runId = handle.firstExecutionRunId;
      // The start response does not say whether it started anything: the memo token of the run tells.
      const description = await this.temporal.workflow.getHandle(workflowId, runId).describe();
      return { ...started, runId, existing: readMemo(description.memo).startToken !== memo.startToken };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw this.mapError(err, workflowId);
      const description = await this.describeRaw(workflowId);
      return { ...started, runId: description.runId, existing: true };
    }
  }

  /** Starts (see {@link start}) and waits for the run to close. */
  async execute(definition: unknown, options: StartOptions = {}): Promise<RunOutcome> {
    const run = await this.start(definition, options);
    return this.result(run.workflowId);
  }

  /**
   * Waits for the run to close and reports how it closed. Does not throw for failed or cancelled runs: the
   * outcome says so, with the failure message and the final status when a worker can still answer the query.
   */
  async result(workflowId: string): Promise<RunOutcome> {
    const handle = this.temporal.workflow.getHandle<PipelineWorkflow>(workflowId);
    let result: PipelineResult;
    try {
      result = await handle.result();
    } catch (err) {
      if (!(err instanceof WorkflowFailedError)) throw this.mapError(err, workflowId);
      const outcome = outcomeOf(err.cause);
      const status =
        outcome === 'terminated' || outcome === 'timed-out'
          ? undefined
          : await this.status(workflowId, { timeoutMs: 5_000 }).catch(() => undefined);
      return { workflowId, outcome, status, message: err.cause?.message ?? err.message };
    }
    return { workflowId, outcome: 'completed', status: result.status };
  }

  /** The run's status through the `status` query (answered by a worker, also after the run closed). */
  async status(workflowId: string, options: StatusOptions = {}): Promise<RunStatus> {
    const timeoutMs = options.timeoutMs ?? this.queryTimeoutMs;
    const handle = this.temporal.workflow.getHandle<PipelineWorkflow>(workflowId);
    try {
      return await this.temporal.connection.withDeadline(Date.now() + timeoutMs, () => handle.query(statusQuery));
    } catch (err) {
      if (isDeadlineExceeded(err))
        throw new StatusUnavailableError(
          workflowId,
          `no worker answered within ${timeoutMs / 1000}s; is a worker polling the run's task queue?`,
        );
      const mapped = this.mapError(err, workflowId);
      if (mapped instanceof RunNotFoundError || mapped instanceof TemporalUnreachableError) throw mapped;
      throw new StatusUnavailableError(workflowId, reasonOf(err));
    }
  }

  /** Pauses through the `setPaused` update and returns the status once the pause took effect. */
  async pause(workflowId: string, options: { mode?: PauseMode } = {}): Promise<RunStatus> {
    return this.setPaused(workflowId, true, options.mode ?? 'drain');
  }

  /** Resumes through the `setPaused` update and returns the status once scheduling ran again. */
  async resume(workflowId: string): Promise<RunStatus> {
    return this.setPaused(workflowId, false);
  }

  /**
   * Runs a held node again (`onFailure: hold`), optionally with corrected params; returns the status once it is
   * running. Throws {@link RunRefusedError} when the node is unknown or not held, or the run has ended.
   */
  async retryNode(
    workflowId: string,
    nodeId: string,
    options: { params?: Record<string, unknown> } = {},
  ): Promise<RunStatus> {
    return this.operatorUpdate(workflowId, retryNodeUpdate, [
      { nodeId, ...(options.params ? { params: options.params } : {}) },
    ]);
  }

  /** Ends a held node as `skipped` (its dependents are skipped) or `succeeded` (they run); returns the status. */
  async skipNode(workflowId: string, nodeId: string, as: 'skipped' | 'succeeded' = 'skipped'): Promise<RunStatus> {
    return this.operatorUpdate(workflowId, skipNodeUpdate, [{ nodeId, as }]);
  }

  /** Ends the run as failed (held nodes fail, running ones are cancelled); returns the final status. */
  async failRun(workflowId: string): Promise<RunStatus> {
    return this.operatorUpdate(workflowId, failRunUpdate, []);
  }

  /** Requests cancellation: running nodes are cancelled, the run closes as cancelled. */
  async cancel(workflowId: string): Promise<void> {
    try {
      await this.temporal.workflow.getHandle(workflowId).cancel();
    } catch (err) {
      throw this.mapError(err, workflowId);
    }
  }

  /** Temporal's view of a run: execution state, task queue, times, pipeline from the memo. */
  async describe(workflowId: string): Promise<RunSummary> {
    return toSummary(await this.describeRaw(workflowId));
  }

  /** Lists runs through a visibility query, newest first. */
  async list(filter: ListFilter & { limit?: number } = {}): Promise<RunSummary[]> {
    const limit = filter.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 1) throw new InvalidOptionError('limit', 'must be a positive integer');
    const indexed = await this.usesSearchAttributes();
    const query = listQuery(filter, { searchAttributes: indexed });
    const runs: RunSummary[] = [];
    try {
      for await (const info of this.temporal.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
        let summary = toSummary(info);
        if (filter.pipeline !== undefined && summary.pipeline !== undefined && summary.pipeline !== filter.pipeline)
          continue;
        // Without the attributes, visibility cannot tell paused or held from running: ask each running run.
        if ((filter.state === 'paused' || filter.state === 'held') && !indexed) {
          const status = await this.status(info.workflowId, { timeoutMs: 5_000 }).catch(() => undefined);
          if (filter.state === 'paused' ? !status?.paused : status?.state !== 'held') continue;
          summary = { ...summary, status };
        }
        runs.push(summary);
        if (runs.length >= limit) break;
      }
    } catch (err) {
      throw this.mapError(err);
    }
    return runs;
  }

  /**
   * Queries the status every `intervalMs` and hands it to `onStatus` until the run closes; resolves to the outcome
   * (with the final status), or to undefined when `signal` stops the watching (the run goes on).
   */
  async watch(
    workflowId: string,
    onStatus: (status: RunStatus, progress: readonly NodeProgress[]) => void,
    options: WatchOptions = {},
  ): Promise<RunOutcome | undefined> {
    const intervalMs = options.intervalMs ?? 500;
    const { signal } = options;
    const progressEveryMs = options.progressEveryMs ?? 1_000;
    let progress: readonly NodeProgress[] = [];
    let progressAt = 0;
    const readProgress = async (status: RunStatus): Promise<readonly NodeProgress[]> => {
      if (!options.progress || status.counts.running === 0) return [];
      if (Date.now() - progressAt < progressEveryMs) return progress;
      progressAt = Date.now();
      // Progress is a nicety: a failed describe leaves the last reading in place.
      progress = await this.progress(workflowId).catch(() => progress);
      return progress;
    };
    let outcome: RunOutcome | undefined;
    let failure: unknown;
    const closed = this.result(workflowId).then(
      (o) => void (outcome = o),
      (err: unknown) => void (failure = err ?? new Error('watch failed')),
    );
    const stopped = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
    let last: RunStatus | undefined;
    while (outcome === undefined && failure === undefined && !signal?.aborted) {
      try {
        last = await this.status(workflowId, { timeoutMs: Math.max(intervalMs * 4, 5_000) });
        onStatus(last, await readProgress(last));
      } catch (err) {
        // Before the first workflow task or while the run closes, a query can fail; the next poll will tell.
        if (err instanceof RunNotFoundError || err instanceof TemporalUnreachableError) throw err;
      }
      if (last && TERMINAL_RUN_STATES.has(last.state)) await Promise.race([closed, stopped]);
      else await Promise.race([sleep(intervalMs), closed, stopped]);
    }
    if (failure !== undefined) throw failure;
    if (outcome === undefined) return undefined;
    if (outcome.status && JSON.stringify(outcome.status) !== JSON.stringify(last)) onStatus(outcome.status, []);
    return outcome;
  }

  /**
   * Live progress of the run's running nodes: the rows each reported in its latest heartbeat, read from the run's
   * pending activities (the workflow never sees heartbeats). Empty for nodes that report no rows.
   */
  async progress(workflowId: string): Promise<NodeProgress[]> {
    const description = await this.describeRaw(workflowId);
    const converter = this.temporal.options.loadedDataConverter;
    // The partitions of a partitioned node are activities of their own: a node's rows are their sum.
    const progress = new Map<string, NodeProgress>();
    for (const activity of description.raw.pendingActivities ?? []) {
      const payloads = activity.heartbeatDetails?.payloads;
      if (!payloads?.length) continue;
      const [details] = await decodeArrayFromPayloads(converter, payloads).catch(() => []);
      const at = optionalTsToDate(activity.lastHeartbeatTime) ?? new Date();
      for (const [nodeId, rows] of Object.entries(rowsOf(details))) {
        const before = progress.get(nodeId);
        const attempt = Math.max(activity.attempt ?? 1, before?.attempt ?? 1);
        progress.set(nodeId, {
          nodeId,
          rows: rows + (before?.rows ?? 0),
          at: before && before.at > at ? before.at : at,
          attempt,
        });
      }
    }
    return [...progress.values()];
  }

  /**
   * Nodes whose activity waits on a task queue that no worker polls (scheduled, not started): they would otherwise
   * look as if they ran for ever. One `describe` of the run, and one task queue description per queue in question.
   */
  async unpolledNodes(workflowId: string): Promise<UnpolledNode[]> {
    const description = await this.describeRaw(workflowId);
    const waiting = (description.raw.pendingActivities ?? []).filter(
      (a) => a.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED,
    );
    const polled = new Map<string, Promise<boolean>>();
    const out: UnpolledNode[] = [];
    for (const a of waiting) {
      const queue = a.activityOptions?.taskQueue?.name ?? description.taskQueue;
      if (!polled.has(queue)) polled.set(queue, this.hasPollers(queue, 'activity'));
      if (await polled.get(queue)) continue;
      out.push({
        // `~<n>`: the node scheduled again after its n-th wait for a worker; the node is the same.
        activityId: (a.activityId ?? '').replace(/~\d+$/, ''),
        taskQueue: queue,
        scheduledAt: optionalTsToDate(a.scheduledTime) ?? new Date(),
      });
    }
    return out;
  }

  /** Whether any worker polls the task queue for workflow tasks right now. */
  async hasWorkers(taskQueue = this.taskQueue): Promise<boolean> {
    return this.hasPollers(taskQueue, 'workflow');
  }

  /** Whether any worker polls the task queue for node activities right now. */
  async hasActivityWorkers(taskQueue: string): Promise<boolean> {
    return this.hasPollers(taskQueue, 'activity');
  }

  private async hasPollers(taskQueue: string, type: 'workflow' | 'activity'): Promise<boolean> {
    try {
      const response = await this.temporal.workflowService.describeTaskQueue({
        namespace: this.namespace,
        taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType:
          type === 'workflow'
            ? temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
            : temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      });
      return (response.pollers?.length ?? 0) > 0;
    } catch (err) {
      throw this.mapError(err);
    }
  }

  private setPaused(workflowId: string, paused: boolean, mode?: PauseMode): Promise<RunStatus> {
    return this.operatorUpdate(workflowId, setPausedUpdate, [{ paused, mode }]);
  }

  /** Runs one of the workflow's updates; a refusal becomes {@link RunRefusedError} with the workflow's reason. */
  private async operatorUpdate<A extends unknown[]>(
    workflowId: string,
    update: UpdateDefinition<RunStatus, A>,
    args: A,
  ): Promise<RunStatus> {
    const handle = this.temporal.workflow.getHandle<PipelineWorkflow>(workflowId);
    try {
      return await this.temporal.connection.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, () =>
        // The definitions fix each update's arguments; the SDK's overloads cannot follow a generic tuple.
        handle.executeUpdate(update as unknown as UpdateDefinition<RunStatus, [unknown]>, {
          args: args as unknown as [unknown],
        }),
      );
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new RunRefusedError(workflowId, reasonOf(err.cause ?? err));
      const mapped = this.mapError(err, workflowId);
      if (mapped instanceof RunNotFoundError) {
        // An update to a closed run reports the run as not found; say what really happened.
        const run = await this.describe(workflowId);
        if (run.executionState !== 'running')
          throw new RunRefusedError(workflowId, `the run has already ended (${run.executionState})`);
      }
      throw mapped;
    }
  }

  private async describeRaw(workflowId: string): Promise<WorkflowExecutionDescription> {
    try {
      return await this.temporal.workflow.getHandle(workflowId).describe();
    } catch (err) {
      throw this.mapError(err, workflowId);
    }
  }

  private mapError(err: unknown, workflowId?: string): unknown {
    if (workflowId !== undefined && isNotFound(err)) return new RunNotFoundError(workflowId, this.namespace);
    return mapTemporalError(err, this.address);
  }
}

function checkParallelism(parallelism: number | undefined): void {
  if (parallelism === undefined) return;
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > MAX_PARALLELISM)
    throw new InvalidOptionError('parallelism', `must be an integer from 1 to ${MAX_PARALLELISM}, got ${parallelism}`);
}

function outcomeOf(cause: Error | undefined): RunOutcomeKind {
  if (cause instanceof CancelledFailure) return 'cancelled';
  if (cause instanceof TerminatedFailure) return 'terminated';
  if (cause instanceof TimeoutFailure) return 'timed-out';
  return 'failed';
}

function toSummary(info: WorkflowExecutionInfo | WorkflowExecutionDescription): RunSummary {
  const memo = readMemo(info.memo);
  const parsed = parseWorkflowId(info.workflowId);
  const pipelineState = info.typedSearchAttributes?.get(PIPELINE_STATE);
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    pipeline: memo.pipeline ?? info.typedSearchAttributes?.get(PIPELINE_NAME) ?? parsed?.pipeline,
    version: memo.version,
    runKey: memo.runKey ?? parsed?.runKey,
    ...(memo.definitionHash ? { definitionHash: memo.definitionHash } : {}),
    ...(pipelineState ? { pipelineState } : {}),
    executionState: executionStateOf(info.status.name),
    taskQueue: info.taskQueue,
    startTime: info.startTime,
    closeTime: info.closeTime,
  };
}
