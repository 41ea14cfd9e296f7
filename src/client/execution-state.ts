/** Temporal's execution status of a run (`RUNNING`, ...) as the client reports it (`running`, ...). */
import type { ExecutionState } from './types';

const EXECUTION_STATES: Readonly<Record<string, ExecutionState>> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  CONTINUED_AS_NEW: 'continued-as-new',
  TIMED_OUT: 'timed-out',
};

/** The client's name for a status name of the Temporal SDK; `unknown` for one it does not know. */
export const executionStateOf = (name: string | undefined): ExecutionState =>
  (name !== undefined ? EXECUTION_STATES[name] : undefined) ?? 'unknown';
