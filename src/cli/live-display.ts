/**
 * Progress in a terminal: state changes scroll by as lines (as in `progress.ts`), and below them a block with the
 * run's state and a table of its nodes (state, duration, rows, rows per second) is redrawn in place on every
 * update. The block is cleared when the run closes, for the closing summary to take its place.
 */
import type { NodeProgress } from '../client/types';
import { formatDuration } from '../model/duration';
import { countNodeStates, type NodeState, type NodeStatus, type RunStatus } from '../model/state';
import type { ProgressView } from './progress';
import { formatEvent, progressEvents } from './progress';
import { RowRates } from './rates';
import { doneCount, renderCounts, renderNodeRows, runStateText } from './render';

/** Where the display draws: a terminal's output stream and its size. */
export interface Terminal {
  write(text: string): void;
  readonly columns: number;
  readonly rows: number;
}

/** Back to the first line of the block (`\r`, cursor up n lines), then clear to the end of the screen. */
const rewind = (lines: number): string => (lines > 0 ? `\r\x1b[${lines}A\x1b[J` : '');

/** Which nodes to show first when the block has no room for all: running and failed before the quiet ones. */
const RANK: Record<NodeState, number> = {
  held: 0,
  running: 0,
  failed: 1,
  cancelled: 2,
  pending: 3,
  succeeded: 4,
  cached: 5,
  skipped: 6,
};

export class LiveDisplay implements ProgressView {
  private last: RunStatus | undefined;
  private drawn = 0;
  private readonly rates = new RowRates();

  constructor(
    private readonly terminal: Terminal,
    private readonly now: () => number = Date.now,
  ) {}

  update(status: RunStatus, progress: readonly NodeProgress[] = []): void {
    const events = progressEvents(this.last, status).map(formatEvent);
    this.last = status;
    this.rates.update(status, progress);
    this.draw(events, this.block(status));
  }

  finish(): void {
    this.draw([], []);
  }

  private draw(events: readonly string[], block: readonly string[]): void {
    // A block line that wrapped would take two lines and break the rewind: cut lines to the terminal's width.
    const width = Math.max(20, this.terminal.columns || 80) - 1;
    const fit = (line: string): string => (line.length > width ? `${line.slice(0, width - 1)}…` : line);
    const lines = [...events, ...block.map(fit)];
    this.terminal.write(rewind(this.drawn) + lines.map((l) => `${l}\n`).join(''));
    this.drawn = block.length;
  }

  private block(status: RunStatus): string[] {
    const now = this.now();
    const state = runStateText(status);
    const done = doneCount(status.counts);
    const elapsed = formatDuration(Math.max(0, now - Date.parse(status.startedAt)));
    const header = `${status.pipeline.name}@${status.pipeline.version}  ${state}  ${done}/${status.nodes.length} nodes done  ${elapsed}`;
    const room = Math.max(3, (this.terminal.rows || 24) - 4);
    const shown = pick(status.nodes, room);
    const table = renderNodeRows(shown, { rowsOf: (n) => this.rates.of(n), now }).split('\n');
    const hidden = status.nodes.filter((n) => !shown.includes(n));
    const more =
      hidden.length > 0 ? [`… ${hidden.length} more: ${renderCounts({ counts: countNodeStates(hidden) })}`] : [];
    return [header, ...table, ...more];
  }
}

/** At most `room` nodes, the busiest first, shown in definition order. */
function pick(nodes: readonly NodeStatus[], room: number): NodeStatus[] {
  if (nodes.length <= room) return [...nodes];
  const order = new Map(nodes.map((n, i) => [n, i]));
  const chosen = [...nodes].sort((a, b) => RANK[a.state] - RANK[b.state]).slice(0, room);
  return chosen.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}
