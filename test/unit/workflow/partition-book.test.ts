/** A partitioned unit's bookkeeping in the run tracker: progress, slots, the unit's result, carrying, restarts. */
import type { RunNodeResult } from '../../../src/engine/contract';
import { validateDefinition } from '../../../src/model/validate';
import { RunTracker } from '../../../workflows/run-tracker';
import type { Unit } from '../../../workflows/units';

const T0 = '2026-01-01T00:00:00.000Z';

function tracker(carried?: ReturnType<RunTracker['carry']>): RunTracker {
  const r = validateDefinition({
    name: 'glob',
    nodes: [
      { id: 'read', type: 'source.csv', params: { path: 'in/*.csv' } },
      { id: 'write', type: 'sink.postgres', needs: ['read'], params: { table: 't' } },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return new RunTracker(r.definition, { parallelism: 4, now: T0, ...(carried ? { carried } : {}) });
}

const part = (rows: number): RunNodeResult => ({
  output: { stats: { rowsWritten: rows }, dataset: { kind: 'table', location: 's.t', rows } },
  outputs: { read: { stats: { rowsRead: rows } }, write: { stats: { rowsWritten: rows } } },
  attempt: 1,
});
const listing = { kind: 'glob', count: 3, fingerprint: 'f' };

test('a partitioned unit counts its partitions, sums their stats, and succeeds once all are done', () => {
  const run = tracker();
  const [unit] = run.startReady(4, T0) as [Unit];
  const book = run.partitions;
  expect(book.isPartitioned(unit)).toBe(true);
  book.listed(unit, listing);
  for (let i = 0; i < 3; i++) book.started(unit);
  expect(book.extraSlots()).toBe(2);
  book.done(unit, 2, part(5));
  book.done(unit, 0, part(7));
  expect(run.status().nodes[0]?.partitions).toMatchObject({
    done: 2,
    running: 1,
    completed: [
      [0, 1],
      [2, 3],
    ],
  });
  book.done(unit, 1, part(1));
  expect(book.extraSlots()).toBe(0);
  expect(book.complete(unit)).toBe(true);
  const result = book.result(unit, part(0).output.dataset, 1);
  expect(result.outputs).toEqual({
    read: { stats: { rowsRead: 13 } },
    write: { stats: { rowsWritten: 13 }, dataset: { kind: 'table', location: 's.t', rows: 13 } },
  });
  run.succeeded(unit, result, T0);
  expect(run.status().nodes.map((n) => n.state)).toEqual(['succeeded', 'succeeded']);
});

test('a unit that stops with partitions left goes back to pending; continue-as-new carries its progress', () => {
  const run = tracker();
  const [unit] = run.startReady(4, T0) as [Unit];
  run.partitions.listed(unit, listing);
  run.partitions.started(unit);
  run.partitions.done(unit, 0, part(5));
  run.succeeded(unit, { output: {}, attempt: 1 }, T0);
  expect(run.status().nodes.map((n) => n.state)).toEqual(['pending', 'pending']);
  const next = tracker(run.carry());
  const [again] = next.startReady(4, T0) as [Unit];
  expect(next.partitions.progress(again)).toMatchObject({ count: 3, done: 1, completed: [[0, 1]], fingerprint: 'f' });
  expect(next.executions(again)).toBe(2);
});

test('a failed partition is listed by name; a restart clears the failures, done partitions stay done', () => {
  const run = tracker();
  const [unit] = run.startReady(4, T0) as [Unit];
  run.partitions.listed(unit, listing);
  run.partitions.started(unit);
  run.partitions.started(unit);
  run.partitions.done(unit, 0, part(5));
  run.partitions.failed(unit, { index: 1, name: 'in/b.csv', message: 'bad' });
  expect(run.partitions.progress(unit)).toMatchObject({
    done: 1,
    running: 0,
    failed: 1,
    failures: [{ index: 1, name: 'in/b.csv', message: 'bad' }],
  });
  run.partitions.restarted(unit);
  const p = run.partitions.progress(unit);
  expect(p).toMatchObject({ done: 1, running: 0, failed: 0, completed: [[0, 1]] });
  expect(p?.failures).toBeUndefined();
});
