import { WorkflowUpdateFailedError } from '@temporalio/client';
import { resumeSignal, pauseSignal, setPausedUpdate, statusQuery } from '../../src/engine/messages';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness } from '../helpers/temporal';
import { nodeOf, startPipeline, waitForStatus } from '../helpers/runs';

let h: TemporalHarness;
beforeAll(async () => {
  h = await connectHarness('pause');
  await h.startWorker();
});
afterAll(() => h.close());

const chain = {
  name: 'pausable',
  defaults: { heartbeatTimeout: '5s' },
  nodes: [
    { id: 'first', type: 'sleep', params: { duration: '1500ms' } },
    { id: 'second', type: 'sleep', needs: ['first'], params: { duration: '200ms' } },
  ],
};

test('pause drain (signal): the running node finishes, nothing new starts, resume completes the run', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, chain);
  await waitForStatus(handle, (s) => nodeOf(s, 'first').state === 'running');
  await handle.signal(pauseSignal, { mode: 'drain' });
  const drained = await waitForStatus(handle, (s) => nodeOf(s, 'first').state === 'succeeded');
  expect(drained).toMatchObject({ state: 'paused', paused: true, pauseMode: 'drain' });
  await new Promise((r) => setTimeout(r, 700));
  const still = await handle.query(statusQuery);
  expect(nodeOf(still, 'second').state).toBe('pending');
  expect(still.counts.running).toBe(0);
  await handle.signal(resumeSignal);
  const { status } = await handle.result();
  expect(status.state).toBe('completed');
  expect(nodeOf(status, 'second').state).toBe('succeeded');
});

test('pause immediate (update) cancels the running node, returns once it took effect, and resume runs it from its checkpoint', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'pausable',
    defaults: { heartbeatTimeout: '5s' },
    nodes: [{ id: 'long', type: 'sleep', params: { duration: '4s' } }],
  });
  await waitForStatus(handle, (s) => nodeOf(s, 'long').state === 'running');
  await new Promise((r) => setTimeout(r, 2_200));
  const paused = await handle.executeUpdate(setPausedUpdate, { args: [{ paused: true, mode: 'immediate' }] });
  expect(paused).toMatchObject({ state: 'paused', paused: true, pauseMode: 'immediate' });
  expect(paused.counts.running).toBe(0);
  expect(nodeOf(paused, 'long')).toMatchObject({ state: 'pending', executions: 1 });

  const resumed = await handle.executeUpdate(setPausedUpdate, { args: [{ paused: false }] });
  expect(resumed.state).toBe('running');
  expect(nodeOf(resumed, 'long').state).toBe('running');
  const { status } = await handle.result();
  const long = nodeOf(status, 'long');
  expect(long).toMatchObject({ state: 'succeeded', executions: 2 });
  // The second execution started from the checkpoint the cancelled one reported (whole seconds slept).
  expect(long.output?.stats?.resumedFromMs).toBeGreaterThanOrEqual(2_000);
  expect(long.output?.stats?.sleptMs).toBeLessThanOrEqual(2_000);
});

test('setPaused refuses bad arguments and runs that have ended', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, { name: 'quick', nodes: [{ id: 'a', type: 'noop' }] });
  const err = await handle.executeUpdate(setPausedUpdate, { args: [{ paused: true, mode: 'sideways' as never }] }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((err as WorkflowUpdateFailedError).cause?.message).toMatch(/unknown pause mode "sideways"/);
  await handle.result();
  await expect(handle.executeUpdate(setPausedUpdate, { args: [{ paused: true }] })).rejects.toThrow();
});
