/**
 * The run's definition: inline, or (for runs started by reference, `name@version`) loaded through the
 * `loadDefinition` activity; validated either way. Deterministic; runs with an inline definition schedule nothing here.
 */
import { FailureType } from '../src/engine/failure-types';
import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { LoadDefinitionResult, PipewrightActivities } from '../src/engine/contract';
import type { PipelineInput } from '../src/engine/run-input';
import type { ParamValues } from '../src/model/params/schema';
import type { PipelineDefinition } from '../src/model/schema';
import { TEMPORAL_SCHEDULED_START_TIME } from '../src/model/search-attributes';
import { hasTemplates } from '../src/model/templates/render';
import { validateDefinition } from '../src/model/validate';
import { invalidDefinitionFailure } from './failures';

const { loadDefinition } = proxyActivities<PipewrightActivities>({
  activityId: 'load-definition',
  summary: 'load the definition from the registry',
  startToCloseTimeout: '1m',
  // No attempt limit: Postgres away is waited out like any node's outage; a reference that names nothing fails at
  // once (non-retryable).
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/** What templates rendered from, for a definition that declares params or uses templates. */
export interface RunParameters {
  readonly params: ParamValues;
  readonly logicalDate: string;
  /** Nodes whose params held templates (their status shows the rendered params). */
  readonly templated: readonly string[];
}

export interface ResolvedDefinition {
  /** Validated, with every template rendered. */
  readonly definition: PipelineDefinition;
  /** For a run by reference: the version it resolved to (`name@<version>`). */
  readonly ref?: string;
  readonly run?: RunParameters;
}

/**
 * The run's logical date: given in the input, else the time the schedule meant the run for (a scheduled or
 * backfilled run), else the start of the run's chain (the same in every continue-as-new generation).
 */
function logicalDate(input: PipelineInput): string {
  if (input.logicalDate !== undefined) return input.logicalDate;
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(TEMPORAL_SCHEDULED_START_TIME);
  return (scheduled ?? info.startTime).toISOString();
}

/**
 * The validated definition, rendered for this run. An invalid definition, or params that do not fit it, fail the
 * run at once, non-retryably, listing every problem.
 */
export async function resolveDefinition(input: PipelineInput): Promise<ResolvedDefinition> {
  const referenced =
    input.definition === undefined && input.ref !== undefined ? await loadReferenced(input.ref) : undefined;
  const written = referenced?.definition ?? input.definition;
  const ref = referenced ? { ref: referenced.ref } : {};
  if (!usesParams(written, input)) {
    const validation = validateDefinition(written, { allowUnknownTypes: true });
    if (!validation.ok) throw invalidDefinitionFailure(validation.problems);
    return { definition: validation.definition, ...ref };
  }
  const run = { params: input.params, logicalDate: logicalDate(input), id: workflowInfo().workflowId };
  const validation = validateDefinition(written, { allowUnknownTypes: true, run });
  if (!validation.ok) throw invalidDefinitionFailure(validation.problems);
  const rendered = validation.rendered as NonNullable<typeof validation.rendered>;
  return {
    definition: rendered.definition,
    ...ref,
    run: { params: rendered.params, logicalDate: run.logicalDate, templated: rendered.templated },
  };
}

/** Whether the run has params or templates to render (runs without either validate exactly as they always have). */
function usesParams(written: unknown, input: PipelineInput): boolean {
  if (input.params !== undefined || input.logicalDate !== undefined) return true;
  if (typeof written !== 'object' || written === null) return false;
  const def = written as { params?: unknown; nodes?: unknown };
  return (
    def.params !== undefined ||
    (Array.isArray(def.nodes) && def.nodes.some((n) => hasTemplates((n as { params?: unknown })?.params)))
  );
}

/** Loads the definition `ref` names; fails the run non-retryably when it cannot. */
async function loadReferenced(ref: string): Promise<LoadDefinitionResult> {
  try {
    return await loadDefinition({ ref });
  } catch (err) {
    // A run cancelled while its definition loads ends cancelled, not failed.
    if (isCancellation(err)) throw err;
    const cause = err instanceof ActivityFailure ? err.cause : err;
    const notFound = cause instanceof ApplicationFailure && cause.type === 'DefinitionNotFound';
    throw ApplicationFailure.create({
      type: notFound ? FailureType.DefinitionNotFound : 'DefinitionNotLoaded',
      nonRetryable: true,
      message: notFound
        ? (cause as ApplicationFailure).message
        : `could not load definition ${ref}: ${cause instanceof Error ? cause.message : String(cause)}`,
    });
  }
}
