import type { PipelineDefinitionInput } from '../../src/model/schema';
import type { RunStatus } from '../../src/model/state';
import { statusQuery } from '../../src/engine/messages';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness } from '../helpers/temporal';
import { failureOf, nodeOf, startPipeline } from '../helpers/runs';

let h: TemporalHarness;
beforeAll(async () => {
  h = await connectHarness('fail');
  await h.startWorker();
});
afterAll(() => h.close());

const graph = (onFailure: 'fail-fast' | 'continue', slow: string): PipelineDefinitionInput => ({
  name: 'policy',
  defaults: { parallelism: 4, onFailure, retry: { maximumAttempts: 1 } },
  nodes: [
    { id: 'slow', type: 'sleep', params: { duration: slow } },
    { id: 'bad', type: 'fail', params: { always: true, message: 'source is down' } },
    { id: 'after-bad', type: 'noop', needs: ['bad'] },
    { id: 'after-after', type: 'noop', needs: ['after-bad'] },
    { id: 'after-slow', type: 'noop', needs: ['slow'] },
  ],
});

test('fail fast: a failed node cancels running siblings and fails the run at once', async () => {
  const started = Date.now();
  const handle = await startPipeline(h.client, h.taskQueue, graph('fail-fast', '20s'));
  const failure = await failureOf(handle.result());
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(failure.type).toBe('PipelineFailed');
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toMatch(/bad: IntentionalFailure: source is down/);
  const status: RunStatus = await handle.query(statusQuery);
  expect(status.state).toBe('failed');
  expect(nodeOf(status, 'bad')).toMatchObject({ state: 'failed', attempts: 1, error: { type: 'IntentionalFailure' } });
  expect(nodeOf(status, 'slow').state).toBe('cancelled');
  expect(nodeOf(status, 'after-bad').state).toBe('skipped');
  expect(nodeOf(status, 'after-slow').state).toBe('skipped');
});

test('continue: dependents of the failed node are skipped, everything else finishes, the run reports the failure', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, graph('continue', '600ms'));
  const failure = await failureOf(handle.result());
  expect(failure.type).toBe('PipelineFailed');
  expect(failure.message).toMatch(/1 node failed/);
  const status: RunStatus = await handle.query(statusQuery);
  expect(status.state).toBe('failed');
  expect(nodeOf(status, 'slow').state).toBe('succeeded');
  expect(nodeOf(status, 'after-slow').state).toBe('succeeded');
  expect(nodeOf(status, 'after-bad').state).toBe('skipped');
  expect(nodeOf(status, 'after-after').state).toBe('skipped');
});

test('a node-level onFailure overrides the pipeline policy', async () => {
  const def = graph('fail-fast', '600ms');
  def.nodes[1] = { ...def.nodes[1]!, onFailure: 'continue' };
  const handle = await startPipeline(h.client, h.taskQueue, def);
  await failureOf(handle.result());
  const status: RunStatus = await handle.query(statusQuery);
  expect(nodeOf(status, 'after-slow').state).toBe('succeeded');
});

test('retries happen up to maximumAttempts, then the node fails with the attempt count', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'retry',
    defaults: { retry: { initialInterval: '50ms', maximumAttempts: 3 } },
    nodes: [
      { id: 'flaky', type: 'fail', params: { attempts: 2 } },
      { id: 'broken', type: 'fail', params: { always: true }, onFailure: 'continue' },
    ],
  });
  await failureOf(handle.result());
  const status: RunStatus = await handle.query(statusQuery);
  expect(nodeOf(status, 'flaky')).toMatchObject({ state: 'succeeded', attempts: 3 });
  expect(nodeOf(status, 'broken')).toMatchObject({ state: 'failed', attempts: 3 });
});

test('a non-retryable failure is not retried; nonRetryableErrorTypes make a type non-retryable', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'nonretry',
    defaults: { onFailure: 'continue', retry: { initialInterval: '50ms', maximumAttempts: 5 } },
    nodes: [
      { id: 'hard', type: 'fail', params: { always: true, retryable: false } },
      {
        id: 'typed',
        type: 'fail',
        params: { always: true, errorType: 'BadInput' },
        retry: { nonRetryableErrorTypes: ['BadInput'] },
      },
    ],
  });
  await failureOf(handle.result());
  const status: RunStatus = await handle.query(statusQuery);
  expect(nodeOf(status, 'hard')).toMatchObject({ state: 'failed', attempts: 1, error: { nonRetryable: true } });
  expect(nodeOf(status, 'typed')).toMatchObject({ state: 'failed', attempts: 1, error: { type: 'BadInput' } });
});
