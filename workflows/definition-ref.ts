/**
 * Runs started by reference (`name@version`) load their definition through the `loadDefinition` activity.
 * Deterministic; runs with an inline definition schedule nothing here.
 */
import { ActivityFailure, ApplicationFailure, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { LoadDefinitionResult, PipewrightActivities } from '../src/engine/contract';

const { loadDefinition } = proxyActivities<PipewrightActivities>({
  activityId: 'load-definition',
  summary: 'load the definition from the registry',
  startToCloseTimeout: '1m',
  // No attempt limit: Postgres away is waited out like any node's outage; a reference that names nothing fails at
  // once (non-retryable).
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/** Loads the definition `ref` names; fails the run non-retryably when it cannot. */
export async function loadReferenced(ref: string): Promise<LoadDefinitionResult> {
  try {
    return await loadDefinition({ ref });
  } catch (err) {
    // A run cancelled while its definition loads ends cancelled, not failed.
    if (isCancellation(err)) throw err;
    const cause = err instanceof ActivityFailure ? err.cause : err;
    const notFound = cause instanceof ApplicationFailure && cause.type === 'DefinitionNotFound';
    throw ApplicationFailure.create({
      type: notFound ? 'DefinitionNotFound' : 'DefinitionNotLoaded',
      nonRetryable: true,
      message: notFound
        ? (cause as ApplicationFailure).message
        : `could not load definition ${ref}: ${cause instanceof Error ? cause.message : String(cause)}`,
    });
  }
}
