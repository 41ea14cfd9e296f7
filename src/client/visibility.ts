/**
 * Visibility queries (`client.workflow.list`) for pipeline runs. Where the namespace has pipewright's search
 * attributes, the pipeline and the run state are filtered on them (so `paused` is a real filter); elsewhere on the
 * workflow id and the execution status, and the client asks running runs whether they are paused.
 */
import { NAME_RE } from '../model/schema';
import { PIPELINE_NAME, PIPELINE_STATE, TEMPORAL_SCHEDULED_BY_ID } from '../model/search-attributes';
import { InvalidOptionError } from './errors';

/** What `list` can filter on: a run state, or a Temporal execution state that has no run state. */
export const LIST_STATES = [
  'running',
  'paused',
  'held',
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timed-out',
] as const;
export type ListState = (typeof LIST_STATES)[number];

/** The Temporal execution status behind each state; `paused` runs are `Running`. */
const EXECUTION_STATUS: Record<ListState, string> = {
  running: 'Running',
  paused: 'Running',
  held: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  'timed-out': 'TimedOut',
};

export interface ListFilter {
  /** Only runs of this pipeline. */
  readonly pipeline?: string;
  readonly state?: ListState;
  /** Only runs this schedule started (its own fires, triggers and backfills). */
  readonly schedule?: string;
}

/** Schedule ids: letters, digits, `_`, `-` and `.`, starting with a letter or digit, at most 200 characters. */
export const SCHEDULE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

export interface ListQueryOptions {
  /** The namespace has `PipelineName` and `PipelineState` registered. */
  readonly searchAttributes?: boolean;
}

export function isListState(value: string): value is ListState {
  return (LIST_STATES as readonly string[]).includes(value);
}

/** The visibility query for a filter. Values are checked first, so nothing user-written is interpolated raw. */
export function listQuery(filter: ListFilter = {}, options: ListQueryOptions = {}): string {
  const indexed = options.searchAttributes === true;
  const clauses = [`WorkflowType = 'pipeline'`];
  if (filter.pipeline !== undefined) {
    if (!NAME_RE.test(filter.pipeline))
      throw new InvalidOptionError('pipeline', `"${filter.pipeline}" is not a pipeline name`);
    const byId = `WorkflowId STARTS_WITH '${filter.pipeline}--'`;
    // Runs started without the attribute (by `temporal workflow start`, or before it was registered) by their id.
    clauses.push(indexed ? `(${PIPELINE_NAME.name} = '${filter.pipeline}' OR ${byId})` : byId);
  }
  if (filter.state !== undefined) {
    if (!isListState(filter.state))
      throw new InvalidOptionError(
        'state',
        `unknown state "${String(filter.state)}"; use one of ${LIST_STATES.join(', ')}`,
      );
    clauses.push(`ExecutionStatus = '${EXECUTION_STATUS[filter.state]}'`);
    if (indexed && (filter.state === 'paused' || filter.state === 'held'))
      clauses.push(`${PIPELINE_STATE.name} = '${filter.state}'`);
    // A running run without the attribute counts as running.
    if (indexed && filter.state === 'running')
      clauses.push(
        `(${PIPELINE_STATE.name} IS NULL OR (${PIPELINE_STATE.name} != 'paused' AND ${PIPELINE_STATE.name} != 'held'))`,
      );
  }
  if (filter.schedule !== undefined) {
    if (!SCHEDULE_ID_RE.test(filter.schedule))
      throw new InvalidOptionError('schedule', `"${filter.schedule}" is not a schedule id`);
    clauses.push(`${TEMPORAL_SCHEDULED_BY_ID.name} = '${filter.schedule}'`);
  }
  // No ORDER BY: SQL visibility stores (the dev server's) reject it; their default order is newest first.
  return clauses.join(' AND ');
}
