/** Text views of statuses, outcomes and run lists. */
import type { RunOutcome, RunSummary } from '../client/types';
import { clip } from '../graph/text';
import { formatDuration } from '../model/duration';
import type { NodeState, NodeStatus, RunStatus } from '../model/state';
import { between, clockTime, dateTime } from './clock';
import type { NodeRows } from './rates';
import { endedRows, formatCount, formatRate } from './rates';
import { renderTable } from './table';
import { heldHint } from './held-hint';
import { failedPartitionLines, runningAndFailed } from '../model/partitions';

const COUNT_ORDER: readonly NodeState[] = [
  'succeeded',
  'cached',
  'failed',
  'held',
  'skipped',
  'cancelled',
  'running',
  'pending',
];
const MAX_ERROR = 80;

/** `5 succeeded, 1 failed, 2 skipped`: the non-zero counts. */
export function renderCounts(status: Pick<RunStatus, 'counts'>): string {
  return COUNT_ORDER.filter((s) => status.counts[s] > 0)
    .map((s) => `${status.counts[s]} ${s}`)
    .join(', ');
}

export interface NodeTableOptions {
  /** Rows and rows per second of a node; default: from the stats of nodes that ended. */
  readonly rowsOf?: (node: NodeStatus) => NodeRows | undefined;
  /** When given, running nodes show how long they have been running. */
  readonly now?: number;
}

/** One row per node: state, attempts, duration, rows and rows per second (when any node counts rows), error. */
export function renderNodeTable(status: RunStatus, options: NodeTableOptions = {}): string {
  return renderNodeRows(status.nodes, options);
}

/** The node table of some nodes; see {@link renderNodeTable}. */
export function renderNodeRows(nodes: readonly NodeStatus[], options: NodeTableOptions = {}): string {
  const rowsOf = options.rowsOf ?? endedRows;
  const counted = nodes.map(rowsOf);
  const withRows = counted.some((r) => r !== undefined);
  const withPartitions = nodes.some((n) => n.partitions !== undefined);
  const { now } = options;
  const rows = nodes.map((n, i) => {
    const r = counted[i];
    const duration =
      n.state === 'running' && now !== undefined && n.startedAt
        ? formatDuration(Math.max(0, now - Date.parse(n.startedAt)))
        : between(n.startedAt, n.endedAt);
    return [
      n.id,
      n.reused ? 'reused' : n.state,
      n.attempts > 0 ? String(n.attempts) : '',
      duration,
      ...(withRows ? [r ? formatCount(r.rows) : '', r?.perSecond === undefined ? '' : formatRate(r.perSecond)] : []),
      ...(withPartitions ? [n.partitions ? partitionsCell(n.partitions) : ''] : []),
      n.error ? clip(`${n.error.type}: ${n.error.message}`, MAX_ERROR) : '',
    ];
  });
  const header = [
    'node',
    'state',
    'attempts',
    'duration',
    ...(withRows ? ['rows', 'rows/s'] : []),
    ...(withPartitions ? ['partitions'] : []),
    'error',
  ];
  return renderTable(header, rows);
}

/** `12/200 (4 running, 1 failed)`: a partitioned node's partitions done of all, and those running or failed. */
function partitionsCell(p: NonNullable<NodeStatus['partitions']>): string {
  const more = runningAndFailed(p);
  return `${p.done}/${p.count}${more ? ` (${more})` : ''}`;
}

/** The closing summary of a run: the node table and one line on how it ended. */
export function renderOutcome(outcome: RunOutcome): string {
  const lines: string[] = [];
  const s = outcome.status;
  if (s) lines.push('', renderNodeTable(s), '');
  const took = s?.endedAt ? ` in ${between(s.startedAt, s.endedAt)}` : '';
  const counts = s ? `: ${renderCounts(s)}` : '';
  lines.push(`${outcome.workflowId} ${outcome.outcome}${took}${counts}`);
  if (outcome.outcome !== 'completed' && outcome.message && !s) lines.push(clip(outcome.message, 200));
  return lines.join('\n');
}

/** The run's state, with the pause mode while paused: `running`, `paused (drain)`. */
export const runStateText = (status: RunStatus): string =>
  status.paused && status.state === 'paused' ? `paused (${status.pauseMode ?? 'drain'})` : status.state;

/** Nodes that have ended, whichever way. */
export const doneCount = (c: RunStatus['counts']): number =>
  c.succeeded + c.cached + c.failed + c.skipped + c.cancelled;

/** The status of a run as the `status` command shows it. */
export function renderStatus(workflowId: string, status: RunStatus, now = Date.now()): string {
  const state = runStateText(status);
  const ended = status.endedAt
    ? `ended ${clockTime(status.endedAt)} after ${between(status.startedAt, status.endedAt)}`
    : `running for ${formatDuration(Math.max(0, now - Date.parse(status.startedAt)))}`;
  const done = doneCount(status.counts);
  return [
    `${workflowId}  ${status.pipeline.name}@${status.pipeline.version}  ${state}`,
    `started ${clockTime(status.startedAt)}, ${ended}; parallelism ${status.parallelism}; generation ${status.generation}`,
    ...renderParams(status),
    ...(status.rerunOf
      ? [`rerun of ${status.rerunOf.workflowId}: ${status.nodes.filter((n) => n.reused).length} nodes reused`]
      : []),
    `${done}/${status.nodes.length} nodes done: ${renderCounts(status)}`,
    '',
    renderNodeTable(status),
    ...failedPartitions(status),
    ...renderedNodeParams(status),
    ...status.nodes.filter((n) => n.state === 'held').map((n) => `\n${heldHint(workflowId, n.id)}`),
  ].join('\n');
}

/** `logical date ...; params day=2024-05-01 limit=3`, for a run with params or templates. */
function renderParams(status: RunStatus): string[] {
  if (status.logicalDate === undefined) return [];
  const params = Object.entries(status.params ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  return [`logical date ${status.logicalDate}${params.length > 0 ? `; params ${params.join(' ')}` : ''}`];
}

/** The failed partitions of partitioned nodes, by index and name. */
function failedPartitions(status: RunStatus): string[] {
  const lines = status.nodes.flatMap((n) => (n.partitions ? failedPartitionLines(n.id, n.partitions) : []));
  return lines.length > 0 ? ['', 'failed partitions:', ...lines.map((l) => `  ${l}`)] : [];
}

/** The params of nodes whose params used templates, as rendered. */
function renderedNodeParams(status: RunStatus): string[] {
  const nodes = status.nodes.filter((n) => n.params !== undefined);
  if (nodes.length === 0) return [];
  return ['', 'rendered params:', ...nodes.map((n) => `  ${n.id}: ${JSON.stringify(n.params)}`)];
}

/** One row per run: id, pipeline, state, start time, duration. */
export function renderRunList(runs: readonly RunSummary[], now = Date.now()): string {
  if (runs.length === 0) return 'no runs found';
  const rows = runs.map((r) => [
    r.workflowId,
    r.pipeline ? `${r.pipeline}${r.version ? `@${r.version}` : ''}` : '',
    r.executionState === 'running' && (r.status?.paused || r.pipelineState === 'paused') ? 'paused' : r.executionState,
    dateTime(r.startTime),
    formatDuration(Math.max(0, (r.closeTime?.getTime() ?? now) - r.startTime.getTime())),
  ]);
  return renderTable(['workflow id', 'pipeline', 'state', 'started', 'duration'], rows);
}
