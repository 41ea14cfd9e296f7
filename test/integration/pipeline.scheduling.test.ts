import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness } from '../helpers/temporal';
import type { Probe } from '../helpers/probe';
import { createProbe } from '../helpers/probe';
import { nodeOf, startPipeline } from '../helpers/runs';

let h: TemporalHarness;
let probe: Probe;
beforeAll(async () => {
  h = await connectHarness('sched');
  probe = createProbe();
  await h.startWorker([probe.nodeType]);
});
afterAll(() => h.close());

test('the observed maximum of concurrently running nodes equals parallelism', async () => {
  const nodes = Array.from({ length: 12 }, (_, i) => ({ id: `n${i}`, type: 'probe', params: { ms: 300 } }));
  const handle = await startPipeline(h.client, h.taskQueue, { name: 'par', defaults: { parallelism: 3 }, nodes });
  const { status } = await handle.result();
  expect(status.state).toBe('completed');
  expect(status.parallelism).toBe(3);
  expect(probe.maxConcurrent(handle.workflowId)).toBe(3);
});

test('the parallelism run option overrides the definition', async () => {
  const nodes = Array.from({ length: 6 }, (_, i) => ({ id: `n${i}`, type: 'probe', params: { ms: 300 } }));
  const handle = await startPipeline(
    h.client,
    h.taskQueue,
    { name: 'par', defaults: { parallelism: 1 }, nodes },
    { parallelism: 6 },
  );
  await handle.result();
  expect(probe.maxConcurrent(handle.workflowId)).toBe(6);
});

test('a node starts as soon as its own needs finish, not when its level does', async () => {
  const definition = {
    name: 'eager',
    defaults: { parallelism: 4 },
    nodes: [
      { id: 'fast', type: 'probe', params: { ms: 100 } },
      { id: 'slow', type: 'probe', params: { ms: 2000 } },
      { id: 'after-fast', type: 'probe', needs: ['fast'], params: { ms: 100 } },
      { id: 'after-both', type: 'probe', needs: ['fast', 'slow'], params: { ms: 50 } },
    ],
  };
  const handle = await startPipeline(h.client, h.taskQueue, definition);
  const { status } = await handle.result();
  const id = handle.workflowId;
  expect(probe.at(id, 'after-fast', 'start')).toBeLessThan(probe.at(id, 'slow', 'end'));
  expect(probe.at(id, 'after-fast', 'start') - probe.at(id, 'fast', 'end')).toBeLessThan(1000);
  expect(probe.at(id, 'after-both', 'start')).toBeGreaterThanOrEqual(probe.at(id, 'slow', 'end'));
  expect(nodeOf(status, 'after-both').state).toBe('succeeded');
});

test('node outputs and stats reach the status, with times and attempts', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'stats',
    nodes: [{ id: 'p', type: 'probe', params: { ms: 120 } }],
  });
  const { status } = await handle.result();
  const p = nodeOf(status, 'p');
  expect(p).toMatchObject({ state: 'succeeded', attempts: 1, executions: 1, output: { stats: { ms: 120 } } });
  expect(Date.parse(p.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(p.startedAt ?? ''));
  expect(status.counts).toEqual({
    pending: 0,
    running: 0,
    succeeded: 1,
    cached: 0,
    failed: 0,
    held: 0,
    skipped: 0,
    cancelled: 0,
  });
});
