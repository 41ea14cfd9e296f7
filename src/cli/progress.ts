/**
 * Progress as plain lines, one per node state change, from successive statuses:
 * `[12:00:01] part-3 succeeded (1.2s, attempt 1)`.
 */
import type { NodeStatus, RunStatus } from '../dag/state';
import { between, clockTime } from './clock';

export interface ProgressEvent {
  /** ISO time the change happened (node times come from the workflow; run changes from when they were seen). */
  readonly at: string;
  readonly text: string;
}

const firstLine = (s: string): string => s.split('\n')[0] ?? '';

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
      return { at: node.endedAt ?? now, text: `${node.id} succeeded (${took}, attempt ${node.attempts})` };
    case 'cached':
      return { at: node.endedAt ?? now, text: `${node.id} cached (reused the output of an earlier run)` };
    case 'failed': {
      const error = node.error ? `: ${node.error.type}: ${firstLine(node.error.message)}` : '';
      return { at: node.endedAt ?? now, text: `${node.id} failed (${took}, attempt ${node.attempts})${error}` };
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

/** Feeds statuses, writes a line per change. */
export class ProgressPrinter {
  private last: RunStatus | undefined;

  constructor(private readonly write: (line: string) => void) {}

  update(status: RunStatus): void {
    for (const e of progressEvents(this.last, status)) this.write(formatEvent(e));
    this.last = status;
  }
}
