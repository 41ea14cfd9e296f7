/**
 * Progress as plain lines, one per node state change, from successive statuses:
 * `[12:00:01] part-3 succeeded (1.2s, attempt 1)`, and now and then the rows of a running node:
 * `[12:00:03] load 12,345 rows, 4,100/s`. For output that is not a terminal; see `live-display.ts` for one.
 */
import type { NodeProgress } from '../client/types';
import type { NodeStatus, RunStatus } from '../model/state';
import { between, clockTime } from './clock';
import { endedRows, formatRows, RowRates } from './rates';

export interface ProgressEvent {
  /** ISO time the change happened (node times come from the workflow; run changes from when they were seen). */
  readonly at: string;
  readonly text: string;
}

const firstLine = (s: string): string => s.split('\n')[0] ?? '';

/** `, 20,000 rows, 9,500/s` for a node whose stats count rows. */
function rowsNote(node: NodeStatus): string {
  const ended = endedRows(node);
  return ended ? `, ${formatRows(ended)}` : '';
}

function nodeEvent(node: NodeStatus, before: NodeStatus | undefined, now: string): ProgressEvent | undefined {
  const restarted = before?.state === 'running' && node.state === 'running' && node.executions > before.executions;
  if (before?.state === node.state && !restarted) return undefined;
  const took = between(node.startedAt, node.endedAt);
  switch (node.state) {
    case 'pending':
      // Back to pending only when an immediate pause cancelled it.
      return before ? { at: now, text: `${node.id} stopped by the pause; runs again on resume` } : undefined;
    case 'running':
      return {
        at: node.startedAt ?? now,
        text: `${node.id} running${node.executions > 1 ? ` (execution ${node.executions})` : ''}`,
      };
    case 'succeeded':
      return {
        at: node.endedAt ?? now,
        text: `${node.id} succeeded (${took}, attempt ${node.attempts}${rowsNote(node)})`,
      };
    case 'cached':
      return { at: node.endedAt ?? now, text: `${node.id} cached (reused the output of an earlier run)` };
    case 'failed': {
      const error = node.error ? `: ${node.error.type}: ${firstLine(node.error.message)}` : '';
      return { at: node.endedAt ?? now, text: `${node.id} failed (${took}, attempt ${node.attempts})${error}` };
    }
    case 'held': {
      const error = node.error ? `: ${node.error.type}: ${firstLine(node.error.message)}` : '';
      return { at: node.endedAt ?? now, text: `${node.id} held (${took}, attempt ${node.attempts})${error}` };
    }
    case 'skipped':
      return { at: node.endedAt ?? now, text: `${node.id} skipped` };
    case 'cancelled':
      return { at: node.endedAt ?? now, text: `${node.id} cancelled${took ? ` (after ${took})` : ''}` };
  }
}

/** What changed from `prev` to `next`; with no `prev`, every node that has left `pending`. */
export function progressEvents(
  prev: RunStatus | undefined,
  next: RunStatus,
  now = new Date().toISOString(),
): ProgressEvent[] {
  const events: Array<ProgressEvent & { order: number }> = [];
  const before = new Map(prev?.nodes.map((n) => [n.id, n]));
  next.nodes.forEach((node, order) => {
    const e = nodeEvent(node, before.get(node.id), now);
    if (e) events.push({ ...e, order });
  });
  events.sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order);
  const run: ProgressEvent[] = [];
  if (prev && !prev.paused && next.paused) run.push({ at: now, text: `run paused (${next.pauseMode ?? 'drain'})` });
  if (prev?.paused && !next.paused) run.push({ at: now, text: 'run resumed' });
  // A pause is reported before what it caused; a resume after nodes it let start is fine either way.
  return [...run, ...events.map(({ at, text }) => ({ at, text }))];
}

export const formatEvent = (e: ProgressEvent): string => `[${clockTime(e.at)}] ${e.text}`;

/** How a watch shows progress: fed every status and the running nodes' rows; told when the run closed. */
export interface ProgressView {
  update(status: RunStatus, progress?: readonly NodeProgress[]): void;
  /** Called once, before the closing summary is printed. */
  finish(): void;
}

export interface ProgressPrinterOptions {
  /** Shortest gap between two rows lines of one node; default 2 s. */
  readonly rowsEveryMs?: number;
  readonly now?: () => number;
}

/** Feeds statuses, writes a line per change, and a rows line per running node at most every `rowsEveryMs`. */
export class ProgressPrinter implements ProgressView {
  private last: RunStatus | undefined;
  private readonly rates = new RowRates();
  private readonly printed = new Map<string, { rows: number; at: number }>();
  private readonly rowsEveryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly write: (line: string) => void,
    options: ProgressPrinterOptions = {},
  ) {
    this.rowsEveryMs = options.rowsEveryMs ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  update(status: RunStatus, progress: readonly NodeProgress[] = []): void {
    for (const e of progressEvents(this.last, status)) this.write(formatEvent(e));
    this.last = status;
    this.rates.update(status, progress);
    const now = this.now();
    for (const node of status.nodes) {
      if (node.state !== 'running') continue;
      const live = this.rates.of(node);
      const before = this.printed.get(node.id);
      if (!live || live.rows === before?.rows || (before && now - before.at < this.rowsEveryMs)) continue;
      this.printed.set(node.id, { rows: live.rows, at: now });
      this.write(formatEvent({ at: new Date(now).toISOString(), text: `${node.id} ${formatRows(live)}` }));
    }
  }

  finish(): void {}
}
