/** Whether a run still exists and is open, asked of Temporal; used by the staging sweep. */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { RunKey } from './tables/staging';

/**
 * Open when the latest execution of the workflow id is running (continue-as-new keeps the id). Gone or closed
 * runs may be swept; when Temporal cannot answer, the run counts as open: dropping a live run's staging would
 * lose its data, keeping a dead run's a while longer costs only disk.
 */
export function runLiveness(client: Client): (run: RunKey) => Promise<boolean> {
  return async (run) => {
    try {
      const d = await client.workflow.getHandle(run.workflowId).describe();
      return d.status.name === 'RUNNING';
    } catch (err) {
      return !(err instanceof WorkflowNotFoundError);
    }
  };
}
