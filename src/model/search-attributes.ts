/**
 * The custom search attributes of a pipeline run: its pipeline name and its run state, so the Web UI, `temporal
 * workflow list --query` and `pipewright list` can filter on them (`PipelineState = 'paused'`). Both are Keyword
 * attributes that must be registered on the namespace (every dev server pipewright starts registers them).
 * Pure: the client sets them at start, the workflow keeps `PipelineState` current.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The pipeline's name (the definition's `name`). */
export const PIPELINE_NAME = defineSearchAttributeKey('PipelineName', SearchAttributeType.KEYWORD);

/** The run state: `running`, `paused`, `completed`, `failed` or `cancelled` (a terminated run keeps its last). */
export const PIPELINE_STATE = defineSearchAttributeKey('PipelineState', SearchAttributeType.KEYWORD);

export const PIPELINE_SEARCH_ATTRIBUTES = [PIPELINE_NAME, PIPELINE_STATE] as const;

/** `PipelineName=Keyword` and `PipelineState=Keyword`, for `temporal server start-dev --search-attribute`. */
export const searchAttributeFlags = (): string[] =>
  PIPELINE_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=Keyword`]);

/** Set by Temporal on runs a schedule starts (and backfills): the time the schedule meant the run for. */
export const TEMPORAL_SCHEDULED_START_TIME = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

/** Set by Temporal on runs a schedule starts: the schedule's id. */
export const TEMPORAL_SCHEDULED_BY_ID = defineSearchAttributeKey('TemporalScheduledById', SearchAttributeType.KEYWORD);
