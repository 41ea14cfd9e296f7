/**
 * The picture of a run: its status's nodes, each with its state, rows and rows per second, attempts, duration and,
 * for a held or failed node, its error (clipped; the whole of it as the note). Pure: the time comes in.
 */
import type { PipelineGraph } from '../graph/model';
import { clip } from '../graph/text';
import { formatDuration } from '../model/duration';
import type { NodeStatus, RunStatus } from '../model/state';
import type { NodeRows } from './rates';
import { endedRows, formatRows } from './rates';

const MAX_ERROR = 44;

export interface RunGraphOptions {
  /** The fused chains of the run's definition, when it could be read. */
  readonly chains?: ReadonlyArray<readonly string[]>;
  /** Rows of a node; default: from the stats of nodes that ended. */
  readonly rowsOf?: (node: NodeStatus) => NodeRows | undefined;
  /** The time running nodes are measured to. */
  readonly now: number;
}

function duration(n: NodeStatus, now: number): string | undefined {
  if (!n.startedAt) return undefined;
  const end = n.endedAt ? Date.parse(n.endedAt) : n.state === 'running' ? now : undefined;
  return end === undefined ? undefined : formatDuration(Math.max(0, end - Date.parse(n.startedAt)));
}

function details(n: NodeStatus, rows: NodeRows | undefined, now: number): string[] {
  const took = duration(n, now);
  const attempts = n.attempts > 0 ? `${n.attempts} attempt${n.attempts === 1 ? '' : 's'}` : undefined;
  const lines = [[n.reused ? `${n.state} (reused)` : n.state, attempts, took].filter(Boolean).join(' · ')];
  if (rows) lines.push(formatRows(rows));
  if (n.waitingForWorker) lines.push(clip(`waiting for a worker on ${n.waitingForWorker}`, MAX_ERROR));
  if (n.error && (n.state === 'failed' || n.state === 'held'))
    lines.push(clip(`${n.error.type}: ${n.error.message}`, MAX_ERROR));
  return lines;
}

/** `fanout-demo--k1 (fanout-demo@1): failed`. */
export function graphOfRun(workflowId: string, status: RunStatus, options: RunGraphOptions): PipelineGraph {
  const rowsOf = options.rowsOf ?? endedRows;
  const state = status.paused && status.state === 'running' ? 'paused' : status.state;
  return {
    title: `${workflowId} (${status.pipeline.name}@${status.pipeline.version}): ${state}`,
    nodes: status.nodes.map((n) => ({
      id: n.id,
      type: n.type,
      needs: n.needs,
      state: n.state,
      details: details(n, rowsOf(n), options.now),
      ...(n.error ? { note: `${n.error.type}: ${n.error.message}` } : {}),
    })),
    chains: options.chains ?? [],
  };
}
