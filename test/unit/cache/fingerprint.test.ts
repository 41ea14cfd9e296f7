/** Fingerprints of node outputs, and the `cached` node state in planning and tracking. Pure. */
import { chainFingerprints, nodeFingerprint } from '../../../src/data/memo/fingerprint';
import { readyNodes } from '../../../src/model/plan';
import type { NodeOutput } from '../../../src/model/state';
import { validateDefinition } from '../../../src/model/validate';
import { RunTracker } from '../../../workflows/run-tracker';
import type { Unit } from '../../../workflows/units';

const table = (location: string, rows: number): NodeOutput => ({
  fingerprint: 'up',
  dataset: { kind: 'table', location, rows, columns: [{ name: 'id', type: 'int' }] },
  stats: { ms: Math.random() },
});

test('a fingerprint depends on type, params, key and what the inputs hold, not on key order, location or timings', () => {
  const base = nodeFingerprint({ type: 'transform.map', params: { a: 1, b: [1, 2] } }, { up: table('s.s_1', 5) });
  expect(base).toMatch(/^[0-9a-f]{64}$/);
  expect(nodeFingerprint({ type: 'transform.map', params: { b: [1, 2], a: 1 } }, { up: table('s.s_2', 5) })).toBe(base);
  expect(
    nodeFingerprint({ type: 'transform.filter', params: { a: 1, b: [1, 2] } }, { up: table('s.s_1', 5) }),
  ).not.toBe(base);
  expect(nodeFingerprint({ type: 'transform.map', params: { a: 2, b: [1, 2] } }, { up: table('s.s_1', 5) })).not.toBe(
    base,
  );
  expect(
    nodeFingerprint({ type: 'transform.map', params: { a: 1, b: [1, 2] }, key: 'v2' }, { up: table('s.s_1', 5) }),
  ).not.toBe(base);
  expect(nodeFingerprint({ type: 'transform.map', params: { a: 1, b: [1, 2] } }, { up: table('s.s_1', 6) })).not.toBe(
    base,
  );
  expect(
    nodeFingerprint(
      { type: 'transform.map', params: { a: 1, b: [1, 2] } },
      { up: { ...table('s.s_1', 5), fingerprint: 'other' } },
    ),
  ).not.toBe(base);
});

test('a chain fingerprints each member from the one before', () => {
  const members = [
    { id: 'a', type: 'source.csv', params: { path: 'x' } },
    { id: 'b', type: 'transform.map', params: { drop: ['y'] } },
  ];
  const [a, b] = chainFingerprints(members, {});
  expect(a).toBe(nodeFingerprint(members[0] as (typeof members)[0], {}));
  expect(b).toBe(nodeFingerprint(members[1] as (typeof members)[1], { a: { fingerprint: a } }));
});

test('a cached node counts as done for its dependents and in the counts', () => {
  const r = validateDefinition({
    name: 'p',
    nodes: [
      { id: 'a', type: 'noop', cache: { ttl: '1h' } },
      { id: 'b', type: 'noop', needs: ['a'] },
    ],
  });
  if (!r.ok) throw new Error('invalid');
  const run = new RunTracker(r.definition, { parallelism: 1, now: '2026-01-01T00:00:00.000Z' });
  const [a] = run.startReady(1, 't0');
  run.succeeded(a as Unit, { output: { fingerprint: 'f' }, attempt: 1, cached: true }, 't1');
  expect(run.nodes.state('a')).toBe('cached');
  expect(readyNodes(run.nodes.nodes, run.nodes.state)).toEqual(['b']);
  const [b] = run.startReady(1, 't2');
  run.succeeded(b as Unit, { output: {}, attempt: 1 }, 't3');
  expect(run.isDone()).toBe(true);
  run.finish(run.outcome(), 't4');
  const status = run.status();
  expect(status.state).toBe('completed');
  expect(status.counts).toMatchObject({ succeeded: 1, cached: 1 });
});
