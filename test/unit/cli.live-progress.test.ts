/**
 * Live progress of `run --watch` and `status --watch`: redrawn in place on a terminal (a fake one records what
 * is written), plain lines otherwise; rows and rows per second from heartbeat readings and output stats.
 */
import type { NodeProgress } from '../../src/client/types';
import type { NodeStatus, RunStatus } from '../../src/model/state';
import type { Terminal } from '../../src/cli/live-display';
import { LiveDisplay } from '../../src/cli/live-display';
import { progressViewFor } from '../../src/cli/follow-run';
import { ProgressPrinter } from '../../src/cli/progress';
import { formatRate, RowRates, rowsOfStats } from '../../src/cli/rates';
import { renderNodeTable } from '../../src/cli/render';
import { nodeStatus, runStatus, STATUS_T0 } from '../helpers/run-status';

const T0 = Date.parse(STATUS_T0);
const iso = (ms: number): string => new Date(T0 + ms).toISOString();
const ESC = '\x1b';

const node = (id: string, over: Partial<NodeStatus> = {}): NodeStatus =>
  nodeStatus(id, { type: 'sink.postgres', ...over });
const status = (nodes: NodeStatus[], over: Partial<RunStatus> = {}): RunStatus =>
  runStatus(nodes, { pipeline: { name: 'load', version: '2' }, startedAt: iso(0), ...over });

const reading = (nodeId: string, rows: number, ms: number): NodeProgress => ({
  nodeId,
  rows,
  at: new Date(T0 + ms),
  attempt: 1,
});

/** A terminal that keeps what was written and can replay it onto a screen of lines. */
function fakeTerminal(columns = 100, rows = 30): Terminal & { raw: string[]; screen(): string[] } {
  const raw: string[] = [];
  return {
    raw,
    columns,
    rows,
    write: (text) => void raw.push(text),
    // Interprets the only control sequences the display uses: \r, cursor up (ESC[nA) and clear below (ESC[J).
    screen() {
      const lines: string[] = [''];
      let row = 0;
      const re = new RegExp(`${ESC}\\[(\\d*)([AJ])|\\r|\\n|[^${ESC}\\r\\n]+`, 'g');
      for (const m of raw.join('').matchAll(re)) {
        if (m[0] === '\r') continue;
        if (m[0] === '\n') {
          row += 1;
          lines[row] ??= '';
        } else if (m[2] === 'A') row = Math.max(0, row - Number(m[1] || 1));
        else if (m[2] === 'J') lines.splice(row, lines.length - row, '');
        else lines[row] = (lines[row] ?? '') + m[0];
      }
      return lines.slice(0, lines[lines.length - 1] === '' ? -1 : undefined);
    },
  };
}

test('on a terminal the block is redrawn in place: one line per node with state, rows and rows/s', () => {
  const term = fakeTerminal();
  let now = T0 + 1_000;
  const display = new LiveDisplay(term, () => now);
  const running = status([
    node('extract', { type: 'source.csv', state: 'running', startedAt: iso(0), executions: 1 }),
    node('load', { needs: ['extract'] }),
  ]);
  display.update(running, [reading('extract', 1_000, 1_000)]);
  expect(term.raw[0]).not.toContain(`${ESC}[`); // nothing to rewind the first time
  now = T0 + 3_000;
  display.update(running, [reading('extract', 9_000, 3_000)]);
  // The second draw goes back over the first block (header, table header, two nodes) and clears it.
  expect(term.raw[term.raw.length - 1]).toMatch(new RegExp(`^\\r${ESC}\\[4A${ESC}\\[J`));
  const screen = term.screen();
  expect(screen).toHaveLength(5); // one event line, then the block of four
  expect(screen[0]).toMatch(/^\[\d\d:\d\d:\d\d\] extract running$/);
  expect(screen[1]).toBe('load@2  running  0/2 nodes done  3.00s');
  expect(screen[2]).toMatch(/^node\s+state\s+attempts\s+duration\s+rows\s+rows\/s\s+error$/);
  // 8,000 rows in the 2 s between the readings.
  expect(screen[3]).toMatch(/^extract\s+running\s+3\.00s\s+9,000\s+4,000\/s$/);
  expect(screen[4]).toMatch(/^load\s+pending$/);
});

test('on a terminal, state changes scroll above the block, long lines are cut, and finish clears the block', () => {
  const term = fakeTerminal(40);
  let now = T0 + 500;
  const display = new LiveDisplay(term, () => now);
  const longId = 'a-node-with-a-rather-long-identifier';
  display.update(status([node(longId, { state: 'running', startedAt: iso(0), executions: 1 })]));
  now = T0 + 2_000;
  const done = status(
    [
      node(longId, {
        state: 'succeeded',
        startedAt: iso(0),
        endedAt: iso(2_000),
        attempts: 1,
        executions: 1,
        output: { stats: { rowsWritten: 50_000 } },
      }),
    ],
    { state: 'completed', endedAt: iso(2_000) },
  );
  display.update(done);
  const screen = term.screen();
  expect(screen.slice(0, 2).map((l) => l.replace(/^\[[\d:]+\] /, ''))).toEqual([
    `${longId} running`,
    `${longId} succeeded (2.00s, attempt 1, 50,000 rows, 25,000/s)`,
  ]);
  for (const line of screen.slice(2)) expect(line.length).toBeLessThan(40);
  expect(screen.slice(2).some((l) => l.endsWith('…'))).toBe(true);
  display.finish();
  // Only the scrolled lines stay; the closing summary is printed after.
  expect(term.screen()).toHaveLength(2);
});

test('on a small terminal the busiest nodes are shown and the rest summed up', () => {
  const term = fakeTerminal(100, 8);
  const display = new LiveDisplay(term, () => T0 + 1_000);
  const nodes = [
    ...Array.from({ length: 10 }, (_, i) =>
      node(`done-${i}`, { state: 'succeeded', startedAt: iso(0), endedAt: iso(10), attempts: 1, executions: 1 }),
    ),
    node('busy', { state: 'running', startedAt: iso(0), executions: 1 }),
    node('broken', {
      state: 'failed',
      startedAt: iso(0),
      endedAt: iso(5),
      attempts: 2,
      executions: 1,
      error: { type: 'Boom', message: 'no', nonRetryable: true },
    }),
  ];
  display.update(status(nodes));
  const block = term.screen().filter((l) => !l.startsWith('['));
  expect(block.length).toBeLessThanOrEqual(8);
  expect(block.some((l) => l.startsWith('busy'))).toBe(true);
  expect(block.some((l) => l.startsWith('broken'))).toBe(true);
  expect(block[block.length - 1]).toBe('… 8 more: 8 succeeded');
});

test('without a terminal: plain lines, with a rows line per running node at most every rowsEveryMs', () => {
  const lines: string[] = [];
  let now = T0;
  const printer = new ProgressPrinter((l) => lines.push(l), { rowsEveryMs: 2_000, now: () => now });
  const s = status([node('load', { state: 'running', startedAt: iso(0), executions: 1 })]);
  now = T0 + 1_000;
  printer.update(s, [reading('load', 1_000, 1_000)]);
  now = T0 + 2_000;
  printer.update(s, [reading('load', 3_000, 2_000)]); // too soon after the last rows line
  now = T0 + 3_000;
  printer.update(s, [reading('load', 5_000, 3_000)]);
  now = T0 + 5_500;
  printer.update(s, [reading('load', 5_000, 3_000)]); // no new rows: nothing to say
  expect(lines.map((l) => l.replace(/^\[\d\d:\d\d:\d\d\] /, ''))).toEqual([
    'load running',
    'load 1,000 rows, 1,000/s',
    'load 5,000 rows, 2,000/s',
  ]);
  for (const l of lines) expect(l).not.toContain(ESC);
  printer.finish();
});

test('the view is chosen by whether output is a terminal', () => {
  expect(progressViewFor({ out: () => undefined, err: () => undefined })).toBeInstanceOf(ProgressPrinter);
  expect(progressViewFor({ out: () => undefined, err: () => undefined, terminal: fakeTerminal() })).toBeInstanceOf(
    LiveDisplay,
  );
});

test('rates follow the recent window, start afresh on a new attempt, and come from stats once a node ended', () => {
  const rates = new RowRates();
  const running = node('n', { state: 'running', startedAt: iso(0), executions: 1 });
  expect(rates.of(running)).toBeUndefined();
  rates.observe([reading('n', 500, 1_000)]);
  // A single reading: the rate since the node started.
  expect(rates.of(running)).toEqual({ rows: 500, perSecond: 500 });
  rates.observe([reading('n', 2_500, 2_000)]);
  expect(rates.of(running)).toEqual({ rows: 2_500, perSecond: 2_000 });
  for (let s = 3; s <= 20; s++) rates.observe([reading('n', 2_500 + (s - 2) * 100, s * 1_000)]);
  // The fast first seconds have left the 10 s window.
  expect(rates.of(running)?.perSecond).toBeCloseTo(100);
  rates.observe([reading('n', 10, 21_000)]); // a retry counts from zero again
  expect(rates.of(running)?.rows).toBe(10);
  const ended = node('n', {
    state: 'succeeded',
    startedAt: iso(0),
    endedAt: iso(4_000),
    output: { stats: { rowsRead: 10, rowsWritten: 8_000 } },
  });
  expect(rates.of(ended)).toEqual({ rows: 8_000, perSecond: 2_000 });
  expect(rowsOfStats({ rowsIn: 10, rowsOut: 4, rowsDropped: 6 })).toBe(4); // a transform: rows it passed on
  expect(rowsOfStats({ rowsRead: 12, rows: 10, rowsRejected: 2 })).toBe(10); // a source: good rows
  expect(rowsOfStats({ sleptMs: 5 })).toBeUndefined();
  expect(formatRate(2_000)).toBe('2,000/s');
  expect(formatRate(0.5)).toBe('0.5/s');
});

test('the node table gets rows columns only when some node counts rows', () => {
  const plain = status([node('a', { state: 'succeeded', startedAt: iso(0), endedAt: iso(300), attempts: 1 })]);
  expect(renderNodeTable(plain).split('\n')[0]).toMatch(/^node\s+state\s+attempts\s+duration\s+error$/);
  const counted = status([
    node('a', {
      state: 'succeeded',
      startedAt: iso(0),
      endedAt: iso(2_000),
      attempts: 1,
      output: { stats: { rowsWritten: 1_234_567 } },
    }),
  ]);
  const table = renderNodeTable(counted).split('\n');
  expect(table[0]).toMatch(/^node\s+state\s+attempts\s+duration\s+rows\s+rows\/s\s+error$/);
  expect(table[1]).toMatch(/^a\s+succeeded\s+1\s+2\.00s\s+1,234,567\s+617,284\/s$/);
});
