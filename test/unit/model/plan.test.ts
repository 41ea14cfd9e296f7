import { parseDuration } from '../../../src/model/duration';
import { resolveNodeOptions } from '../../../src/model/options';
import { criticalPath, readyNodes, unreachableNodes } from '../../../src/model/plan';
import type { NodeState } from '../../../src/model/state';

const nodes = [
  { id: 'a', needs: [] },
  { id: 'b', needs: ['a'] },
  { id: 'c', needs: ['a'] },
  { id: 'd', needs: ['b', 'c'] },
  { id: 'e', needs: ['d'] },
  { id: 'f', needs: [] },
];
const states =
  (s: Record<string, NodeState>) =>
  (id: string): NodeState =>
    s[id] ?? 'pending';

test('readyNodes: a node is ready as soon as its own needs succeeded, not its level', () => {
  expect(readyNodes(nodes, states({}))).toEqual(['a', 'f']);
  expect(readyNodes(nodes, states({ a: 'succeeded', b: 'running' }))).toEqual(['c', 'f']);
  expect(readyNodes(nodes, states({ a: 'succeeded', b: 'succeeded', c: 'succeeded', f: 'running' }))).toEqual(['d']);
});

test('unreachableNodes: skips every transitive dependent of a failed or cancelled node', () => {
  expect(unreachableNodes(nodes, states({ a: 'succeeded', b: 'failed' }))).toEqual(['d', 'e']);
  expect(unreachableNodes(nodes, states({ a: 'cancelled' }))).toEqual(['b', 'c', 'd', 'e']);
  expect(unreachableNodes(nodes, states({ a: 'succeeded' }))).toEqual([]);
});

test('criticalPath weights the longest chain', () => {
  const w: Record<string, number> = { a: 1, b: 5, c: 2, d: 1, e: 1, f: 10 };
  expect(criticalPath(nodes, (id) => w[id] ?? 0)).toBe(10);
  expect(criticalPath(nodes, () => 1)).toBe(4);
});

test('parseDuration reads numbers and unit strings', () => {
  expect(parseDuration(250)).toBe(250);
  expect(parseDuration('250ms')).toBe(250);
  expect(parseDuration('1.5s')).toBe(1500);
  expect(parseDuration('2m')).toBe(120_000);
  expect(parseDuration('1h')).toBe(3_600_000);
  expect(parseDuration('soon')).toBeUndefined();
  expect(parseDuration(-1)).toBeUndefined();
});

test('node options: node settings win over pipeline defaults, field by field, over engine defaults', () => {
  const node = { id: 'n', type: 'noop', params: {}, needs: [], retry: { maximumAttempts: 9 }, timeout: '5s' };
  const o = resolveNodeOptions(node, {
    retry: { initialInterval: '3s', maximumAttempts: 2 },
    heartbeatTimeout: '2s',
    onFailure: 'continue',
  });
  expect(o).toEqual({
    timeoutMs: 5_000,
    heartbeatTimeoutMs: 2_000,
    onFailure: 'continue',
    retry: {
      initialIntervalMs: 3_000,
      backoffCoefficient: 2,
      maximumIntervalMs: 60_000,
      maximumAttempts: 9,
      nonRetryableErrorTypes: [],
      jitter: 0,
    },
  });
});
