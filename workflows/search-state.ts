/**
 * Keeps the run's `PipelineState` search attribute equal to its run state. Only for runs whose starter said the
 * namespace has the attributes registered (`options.searchAttributes`): upserting an unregistered attribute fails
 * the workflow task, which would stall the run on a server someone set up without them. Deterministic.
 */
import { patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { PIPELINE_NAME, PIPELINE_STATE } from '../src/model/search-attributes';
import type { RunState } from '../src/model/state';

/** Marks histories whose runs upsert search attributes; runs recorded before it replay without the commands. */
export const SEARCH_ATTRIBUTES_PATCH = 'pipeline-search-attributes';

/** Returns a function to call with the run state whenever it may have changed; it upserts only real changes. */
export function createStateIndex(enabled: boolean, pipelineName: string): (state: RunState) => void {
  if (!enabled || !patched(SEARCH_ATTRIBUTES_PATCH)) return () => undefined;
  const current = workflowInfo().typedSearchAttributes;
  let indexed: string | undefined = current.get(PIPELINE_STATE);
  let named = current.get(PIPELINE_NAME) === pipelineName;
  return (state) => {
    if (state === indexed && named) return;
    upsertSearchAttributes([
      { key: PIPELINE_STATE, value: state },
      ...(named ? [] : [{ key: PIPELINE_NAME, value: pipelineName }]),
    ]);
    indexed = state;
    named = true;
  };
}
