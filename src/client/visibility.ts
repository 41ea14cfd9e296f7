/** Visibility queries (`client.workflow.list`) for pipeline runs. */
import { NAME_RE } from '../dag/schema';
import { InvalidOptionError } from './errors';

/** What `list` can filter on: a run state, or a Temporal execution state that has no run state. */
export const LIST_STATES = [
  'running',
  'paused',
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timed-out',
] as const;
export type ListState = (typeof LIST_STATES)[number];

/** The Temporal execution status behind each state; `paused` runs are `Running` and filtered by their status. */
const EXECUTION_STATUS: Record<ListState, string> = {
  running: 'Running',
  paused: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  'timed-out': 'TimedOut',
};

export interface ListFilter {
  /** Only runs of this pipeline (by workflow id prefix `<name>--`). */
  readonly pipeline?: string;
  readonly state?: ListState;
}

export function isListState(value: string): value is ListState {
  return (LIST_STATES as readonly string[]).includes(value);
}

/** The visibility query for a filter. Values are checked first, so nothing user-written is interpolated raw. */
export function listQuery(filter: ListFilter = {}): string {
  const clauses = [`WorkflowType = 'pipeline'`];
  if (filter.pipeline !== undefined) {
    if (!NAME_RE.test(filter.pipeline))
      throw new InvalidOptionError('pipeline', `"${filter.pipeline}" is not a pipeline name`);
    clauses.push(`WorkflowId STARTS_WITH '${filter.pipeline}--'`);
  }
  if (filter.state !== undefined) {
    if (!isListState(filter.state))
      throw new InvalidOptionError(
        'state',
        `unknown state "${String(filter.state)}"; use one of ${LIST_STATES.join(', ')}`,
      );
    clauses.push(`ExecutionStatus = '${EXECUTION_STATUS[filter.state]}'`);
  }
  // No ORDER BY: SQL visibility stores (the dev server's) reject it; their default order is newest first.
  return clauses.join(' AND ');
}
