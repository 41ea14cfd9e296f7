/**
 * Rows and rows per second of nodes: live ones from the rows running nodes report in their heartbeats, final
 * ones from a node's output stats over its duration. Pure: times come in as arguments.
 */
import type { NodeProgress } from '../client/types';
import type { NodeStatus, RunStatus } from '../model/state';
import { rowsOfStats } from '../model/stats-rows';

/** A rate is taken over the samples of this last stretch of time, so it follows changes of pace. */
const WINDOW_MS = 10_000;

export interface NodeRows {
  readonly rows: number;
  /** Undefined until there is a time span to divide by. */
  readonly perSecond?: number;
}

export { rowsOfStats };

/** Rows of a node that ended, from its output stats, and the rate over its whole duration. */
export function endedRows(node: NodeStatus): NodeRows | undefined {
  const rows = rowsOfStats(node.output?.stats);
  if (rows === undefined) return undefined;
  const ms = node.startedAt && node.endedAt ? Date.parse(node.endedAt) - Date.parse(node.startedAt) : 0;
  return { rows, ...(ms > 0 ? { perSecond: (rows * 1000) / ms } : {}) };
}

/** Keeps recent row counts of running nodes and answers rows and rows per second for a node. */
export class RowRates {
  private readonly samples = new Map<string, Array<{ rows: number; at: number }>>();

  /** Records heartbeat readings; a count lower than the last one (a new attempt) starts the node afresh. */
  observe(progress: readonly NodeProgress[]): void {
    for (const p of progress) {
      const at = p.at.getTime();
      let list = this.samples.get(p.nodeId);
      const last = list?.[list.length - 1];
      if (!list || (last && p.rows < last.rows)) {
        list = [];
        this.samples.set(p.nodeId, list);
      }
      if (last && last.at === at && last.rows === p.rows) continue;
      list.push({ rows: p.rows, at });
      while (list.length > 2 && at - (list[0] as { at: number }).at > WINDOW_MS) list.shift();
    }
  }

  /**
   * Rows and rate of a node: from its output stats once it ended (over its whole duration), from its heartbeats
   * while it runs (over the recent window, or since it started while there is a single reading).
   */
  of(node: NodeStatus): NodeRows | undefined {
    if (node.state !== 'running') return endedRows(node);
    const list = this.samples.get(node.id);
    const last = list?.[list.length - 1];
    if (!list || !last) return undefined;
    const first = list[0] as { rows: number; at: number };
    if (last.at > first.at)
      return { rows: last.rows, perSecond: ((last.rows - first.rows) * 1000) / (last.at - first.at) };
    const started = node.startedAt ? Date.parse(node.startedAt) : NaN;
    const ms = last.at - started;
    return { rows: last.rows, ...(ms > 0 ? { perSecond: (last.rows * 1000) / ms } : {}) };
  }

  /** Records the readings of a new status poll and forgets the nodes that are no longer running. */
  update(status: RunStatus, progress: readonly NodeProgress[]): void {
    this.observe(withDonePartitions(status, progress));
    const running = new Set(status.nodes.filter((n) => n.state === 'running').map((n) => n.id));
    for (const id of this.samples.keys()) if (!running.has(id)) this.samples.delete(id);
  }
}

/**
 * A partitioned node's live rows: its running partitions' (summed by the client) plus those of its partitions done,
 * which the status sums; so the count only grows while partitions come and go.
 */
function withDonePartitions(status: RunStatus, progress: readonly NodeProgress[]): NodeProgress[] {
  const done = new Map<string, number>();
  for (const n of status.nodes)
    if (n.state === 'running' && n.partitions)
      for (const [id, stats] of Object.entries(n.partitions.stats)) done.set(id, rowsOfStats(stats) ?? 0);
  if (done.size === 0) return [...progress];
  const out = progress.map((p) => (done.has(p.nodeId) ? { ...p, rows: p.rows + (done.get(p.nodeId) ?? 0) } : p));
  const seen = new Set(progress.map((p) => p.nodeId));
  const at = progress[0]?.at ?? new Date();
  for (const [nodeId, rows] of done) if (!seen.has(nodeId) && rows > 0) out.push({ nodeId, rows, at, attempt: 1 });
  return out;
}

/** `12,345`. */
export const formatCount = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `4,100/s`, or `0.5/s` below ten. */
export const formatRate = (perSecond: number): string =>
  `${perSecond < 10 ? perSecond.toFixed(1).replace(/\.0$/, '') : formatCount(perSecond)}/s`;

/** `12,345 rows, 4,100/s` (the rate when known). */
export const formatRows = (r: NodeRows): string =>
  `${formatCount(r.rows)} rows${r.perSecond === undefined ? '' : `, ${formatRate(r.perSecond)}`}`;
