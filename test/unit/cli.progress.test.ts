/** Progress lines from successive statuses, and the summary views. */
import { formatEvent, progressEvents, ProgressPrinter } from '../../src/cli/progress';
import { renderNodeTable, renderOutcome, renderRunList } from '../../src/cli/render';
import { renderTable } from '../../src/cli/table';
import { nodeStatus, runStatus, STATUS_T0 } from '../helpers/run-status';

const T0 = STATUS_T0;
const at = (ms: number): string => new Date(Date.parse(T0) + ms).toISOString();

const node = nodeStatus;
const status = runStatus;

test('a line per node state change, in the order they happened, with duration and attempt', () => {
  const s1 = status([node('a', { state: 'running', startedAt: at(0), executions: 1 }), node('b')]);
  const s2 = status([
    node('a', { state: 'succeeded', startedAt: at(0), endedAt: at(1_200), attempts: 1, executions: 1 }),
    node('b', {
      state: 'failed',
      startedAt: at(1_300),
      endedAt: at(1_550),
      attempts: 3,
      executions: 1,
      error: { type: 'IntentionalFailure', message: 'bad row\nmore detail', nonRetryable: false },
    }),
  ]);
  expect(progressEvents(undefined, s1, at(5))).toEqual([{ at: at(0), text: 'a running' }]);
  expect(progressEvents(s1, s2, at(2_000)).map((e) => e.text)).toEqual([
    'a succeeded (1.20s, attempt 1)',
    'b failed (250ms, attempt 3): IntentionalFailure: bad row',
  ]);
  expect(progressEvents(s2, s2)).toEqual([]);
});

test('pause, the nodes an immediate pause stopped, a second execution, resume, skips and cancellations', () => {
  const running = status([node('a', { state: 'running', startedAt: at(0), executions: 1 }), node('b'), node('c')]);
  const paused = status([node('a', { executions: 1 }), node('b'), node('c')], {
    state: 'paused',
    paused: true,
    pauseMode: 'immediate',
  });
  expect(progressEvents(running, paused, at(10)).map((e) => e.text)).toEqual([
    'run paused (immediate)',
    'a stopped by the pause; runs again on resume',
  ]);
  const resumed = status([node('a', { state: 'running', startedAt: at(20), executions: 2 }), node('b'), node('c')]);
  expect(progressEvents(paused, resumed, at(20)).map((e) => e.text)).toEqual([
    'run resumed',
    'a running (execution 2)',
  ]);
  const ended = status([
    node('a', { state: 'cancelled', startedAt: at(20), endedAt: at(520), executions: 2 }),
    node('b', { state: 'skipped', endedAt: at(520) }),
    node('c', { state: 'cancelled', endedAt: at(520) }),
  ]);
  expect(progressEvents(resumed, ended).map((e) => e.text)).toEqual([
    'a cancelled (after 500ms)',
    'b skipped',
    'c cancelled',
  ]);
});

test('events are printed as [hh:mm:ss] lines, once each', () => {
  const lines: string[] = [];
  const printer = new ProgressPrinter((l) => lines.push(l));
  const s = status([node('a', { state: 'running', startedAt: at(0), executions: 1 })]);
  printer.update(s);
  printer.update(s);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] a running$/);
  expect(formatEvent({ at: at(0), text: 'x' })).toMatch(/^\[\d\d:\d\d:\d\d\] x$/);
});

test('the summary: a table of nodes and one line on how the run ended', () => {
  const s = status(
    [
      node('extract', { state: 'succeeded', startedAt: at(0), endedAt: at(300), attempts: 1, executions: 1 }),
      node('load', {
        state: 'failed',
        startedAt: at(300),
        endedAt: at(1_800),
        attempts: 4,
        executions: 1,
        error: { type: 'Boom', message: 'x'.repeat(200), nonRetryable: true },
      }),
      node('report', { state: 'skipped', endedAt: at(1_800) }),
    ],
    { state: 'failed', endedAt: at(1_800) },
  );
  const table = renderNodeTable(s).split('\n');
  expect(table[0]).toMatch(/^node\s+state\s+attempts\s+duration\s+error$/);
  expect(table[1]).toMatch(/^extract\s+succeeded\s+1\s+300ms$/);
  expect(table[2]).toMatch(/^load\s+failed\s+4\s+1\.50s\s+Boom: x+…$/);
  expect(table[2]!.length).toBeLessThanOrEqual(120);
  expect(table[3]).toMatch(/^report\s+skipped$/);
  const out = renderOutcome({ workflowId: 'demo--k', outcome: 'failed', status: s, message: 'pipeline demo failed' });
  expect(out.split('\n').at(-1)).toBe('demo--k failed in 1.80s: 1 succeeded, 1 failed, 1 skipped');
  expect(renderOutcome({ workflowId: 'demo--k', outcome: 'terminated', message: 'by operator' })).toBe(
    'demo--k terminated\nby operator',
  );
});

test('tables pad every column but the last', () => {
  expect(
    renderTable(
      ['a', 'bb', 'c'],
      [
        ['xxx', 'y', 'z'],
        ['', '', ''],
      ],
    ),
  ).toBe('a    bb  c\nxxx  y   z\n');
  expect(renderRunList([])).toBe('no runs found');
});
