/**
 * The worker process (worker/main.ts, as deployed) stops on SIGTERM: it stops polling, lets the running node
 * finish within the grace time and exits 0; another worker then completes the run.
 */
import { createPipewrightWorker } from '../../worker/create-worker';
import type { PipelineResult } from '../../src/engine/run-input';
import { WORKFLOW_BUNDLE } from '../helpers/paths';
import { spawnWorkerProcess } from '../helpers/worker-process';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness } from '../helpers/temporal';
import { nodeOf, startPipeline, waitForStatus } from '../helpers/runs';

let h: TemporalHarness;
beforeAll(async () => {
  h = await connectHarness('shutdown');
});
afterAll(() => h.close());

test('SIGTERM drains the running node and exits 0; the run completes on another worker', async () => {
  const { child, exited, ready, output } = spawnWorkerProcess(h.address, h.taskQueue, {
    PIPEWRIGHT_SHUTDOWN_GRACE: '10s',
  });
  await ready;

  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'drained',
    nodes: [
      { id: 'long', type: 'sleep', params: { duration: '2500ms' } },
      { id: 'after', type: 'noop', needs: ['long'] },
    ],
  });
  await waitForStatus(handle, (s) => nodeOf(s, 'long').state === 'running');
  const signalledAt = Date.now();
  child.kill('SIGTERM');
  const code = await exited;
  expect(code).toBe(0);
  expect(Date.now() - signalledAt).toBeLessThan(10_000);
  expect(output()).toMatch(/worker stopped/);

  await h.startWorker();
  const { status } = await handle.result();
  expect(status.state).toBe('completed');
  // The node finished inside the grace time on the first worker: one execution, one attempt.
  expect(nodeOf(status, 'long')).toMatchObject({ state: 'succeeded', executions: 1, attempts: 1 });
}, 90_000);

test('a worker killed with SIGKILL mid-node loses nothing: the node is retried on a new worker after its heartbeat timeout', async () => {
  const queue = `${h.taskQueue}-kill`;
  const { child, exited, ready } = spawnWorkerProcess(h.address, queue);
  await ready;
  const handle = await h.client.workflow.start('pipeline', {
    taskQueue: queue,
    workflowId: `${queue}-run`,
    args: [
      {
        definition: {
          name: 'crashy',
          defaults: { heartbeatTimeout: '2s', retry: { initialInterval: '100ms' } },
          nodes: [
            { id: 'long', type: 'sleep', params: { duration: '5s' } },
            { id: 'after', type: 'noop', needs: ['long'] },
          ],
        },
      },
    ],
  });
  await waitForStatus(handle as never, (s) => nodeOf(s, 'long').state === 'running');
  // Past the first whole-second checkpoint and the 1 s heartbeat throttle, well before the node would finish.
  await new Promise((r) => setTimeout(r, 2_600));
  child.kill('SIGKILL');
  await exited;
  const replacement = await createPipewrightWorker({
    connection: h.nativeConnection,
    taskQueue: queue,
    workflowBundlePath: WORKFLOW_BUNDLE,
  });
  const result = (await replacement.runUntil(handle.result())) as PipelineResult;
  expect(result.status.state).toBe('completed');
  const long = nodeOf(result.status, 'long');
  expect(long.attempts).toBe(2);
  // The retry resumed from the killed attempt's last heartbeat (at least one whole second slept).
  expect(long.output?.stats?.resumedFromMs).toBeGreaterThanOrEqual(1_000);
}, 90_000);
