import { statusQuery } from '../../src/engine/messages';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness } from '../helpers/temporal';
import { failureOf, nodeOf, startPipeline } from '../helpers/runs';

let h: TemporalHarness;
beforeAll(async () => {
  h = await connectHarness('bad');
  await h.startWorker();
});
afterAll(() => h.close());

test('a run started with an invalid definition fails at once, non-retryably, listing every problem', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'broken',
    defaults: { parallelism: 0 },
    nodes: [
      { id: 'a', type: 'noop', needs: ['ghost'] },
      { id: 'a', type: 'sleep' },
    ],
  });
  const cause = await failureOf(handle.result());
  expect(cause.type).toBe('InvalidPipelineDefinition');
  expect(cause.nonRetryable).toBe(true);
  expect(cause.message).toMatch(/defaults\.parallelism/);
  expect(cause.message).toMatch(/nodes\[0\]\.needs\[0\]: node "a" needs unknown node "ghost"/);
  expect(cause.message).toMatch(/nodes\[1\]\.id: duplicate node id "a"/);
  expect(cause.message).toMatch(/nodes\[1\]\.params\.duration/);
  const described = await handle.describe();
  expect(described.status.name).toBe('FAILED');
});

test('an unknown node type fails the node non-retryably, naming the type and the registered ones', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'unknown-type',
    defaults: { retry: { maximumAttempts: 5, initialInterval: '1s' } },
    nodes: [{ id: 'x', type: 'teleport' }],
  });
  const cause = await failureOf(handle.result());
  expect(cause.message).toMatch(/x: UnknownNodeType: node "x" has unknown type "teleport"/);
  expect(cause.message).toMatch(/Registered types: fail, noop, sink.file, sink.postgres, sleep, source.csv/);
  const x = nodeOf(await handle.query(statusQuery), 'x');
  expect(x).toMatchObject({ state: 'failed', attempts: 1, error: { type: 'UnknownNodeType', nonRetryable: true } });
});
