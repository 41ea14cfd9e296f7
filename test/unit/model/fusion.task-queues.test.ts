/** Nodes on different task queues run on different workers: a chain never crosses from one queue to another. */
import { planChains } from '../../../src/model/fusion';
import { resolveNodeOptions } from '../../../src/model/options';
import { validateDefinition } from '../../../src/model/validate';

const chain = (load: Record<string, unknown> = {}) => [
  { id: 'read', type: 'source.csv', needs: [] },
  { id: 'shape', type: 'transform.map', needs: ['read'] },
  { id: 'load', type: 'sink.postgres', needs: ['shape'], ...load },
];

test('a chain fuses on one queue and breaks where the queue changes', () => {
  expect(planChains(chain())).toEqual([['read', 'shape', 'load']]);
  expect(planChains(chain({ taskQueue: 'db-side' }))).toEqual([['read', 'shape']]);
});

test("a node's taskQueue overrides the pipeline's; neither means the run's own", () => {
  const node = { id: 'a', type: 'noop', needs: [], params: {} };
  expect(resolveNodeOptions(node, {}).taskQueue).toBeUndefined();
  expect(resolveNodeOptions(node, { taskQueue: 'big' }).taskQueue).toBe('big');
  expect(resolveNodeOptions({ ...node, taskQueue: 'gpu' }, { taskQueue: 'big' }).taskQueue).toBe('gpu');
});

test('a task queue name with a space is refused at its path', () => {
  const r = validateDefinition({ name: 'p', nodes: [{ id: 'a', type: 'noop', taskQueue: 'two words' }] });
  expect(r.ok ? [] : r.problems).toEqual([
    expect.objectContaining({ path: 'nodes[0].taskQueue', message: 'a task queue name has no spaces' }),
  ]);
});
