/**
 * What a rerun starts from: the ended run's input (its latest execution's, read from history) and final status
 * (the `status` query), turned into the new run's input. The new run plans which outputs it reuses (see
 * `src/model/rerun.ts`); what is checked here is only what can be refused before anything starts.
 */
import type { Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { PipelineInput, RerunInput, RunIds } from '../engine/run-input';
import { rerunRefusal, type RerunFrom } from '../model/rerun';
import type { RunStatus } from '../model/state';
import { DONE_NODE_STATES } from '../model/state';
import { InvalidOptionError, RunRefusedError } from './errors';

export interface RerunOptions {
  /** Run again only what did not succeed (the default), or this node and everything downstream of it. */
  readonly from?: 'failure' | { readonly node: string };
  /** The new run's key (default: a UTC timestamp); its id is `<pipeline>--<key>` like any run's. */
  readonly runKey?: string;
}

/** The repeated run's start: the input of its latest execution and the id of its first. */
export interface RunStart {
  readonly input: PipelineInput;
  readonly firstRunId: string;
}

export const rerunFromOf = (options: RerunOptions): RerunFrom => {
  const from = options.from ?? 'failure';
  if (from === 'failure') return { failure: true };
  if (typeof from.node !== 'string' || from.node === '')
    throw new InvalidOptionError('from', 'name the node to rerun from');
  return { node: from.node };
};

/**
 * Reads the input the run's latest execution started with (decoded as the client decodes payloads). Only the first
 * event is fetched: a long run's history is not paged through to read its start.
 */
export async function readRunStart(temporal: Client, workflowId: string): Promise<RunStart> {
  const { history } = await temporal.workflowService.getWorkflowExecutionHistory({
    namespace: temporal.options.namespace,
    execution: { workflowId },
    maximumPageSize: 1,
  });
  const started = history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new RunRefusedError(workflowId, 'its history has no start event to take the input from');
  const [input] = await decodeArrayFromPayloads(temporal.options.loadedDataConverter, started.input?.payloads);
  return { input: (input ?? {}) as PipelineInput, firstRunId: started.firstExecutionRunId ?? '' };
}

/** The rerun input of the new run, or a refusal naming why there is nothing to rerun. */
export function rerunInput(workflowId: string, start: RunStart, status: RunStatus, from: RerunFrom): RerunInput {
  const refusal = rerunRefusal(status.nodes, status.nodes, from);
  if (refusal) throw new RunRefusedError(workflowId, refusal);
  const of: RunIds = { workflowId, runId: start.firstRunId };
  const ledgers: Record<string, RunIds> = {};
  for (const n of status.nodes)
    if (!DONE_NODE_STATES.has(n.state)) ledgers[n.id] = start.input.rerun?.ledgers?.[n.id] ?? of;
  return {
    of,
    from,
    previous: status.nodes.map((n) => ({ id: n.id, state: n.state, ...(n.output ? { output: n.output } : {}) })),
    ledgers,
  };
}
