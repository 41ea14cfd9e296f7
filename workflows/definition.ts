/**
 * The run's definition: inline, or (for runs started by reference, `name@version`) loaded through the
 * `loadDefinition` activity; validated either way. Deterministic; runs with an inline definition schedule nothing here.
 */
import { FailureType } from '../src/engine/failure-types';
import { ActivityFailure, ApplicationFailure, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { LoadDefinitionResult, PipewrightActivities } from '../src/engine/contract';
import type { PipelineInput } from '../src/engine/run-input';
import type { PipelineDefinition } from '../src/model/schema';
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

/**
 * The validated definition, and for a run by reference the version it resolved to (`name@<version>`). An invalid
 * definition fails the run at once, non-retryably, listing every problem.
 */
export async function resolveDefinition(
  input: PipelineInput,
): Promise<{ readonly definition: PipelineDefinition; readonly ref?: string }> {
  const referenced =
    input.definition === undefined && input.ref !== undefined ? await loadReferenced(input.ref) : undefined;
  const validation = validateDefinition(referenced?.definition ?? input.definition, { allowUnknownTypes: true });
  if (!validation.ok) throw invalidDefinitionFailure(validation.problems);
  return { definition: validation.definition, ...(referenced ? { ref: referenced.ref } : {}) };
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
