import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { statusQuery } from '../../src/engine/messages';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness } from '../helpers/temporal';
import { nodeOf, startPipeline, waitForStatus } from '../helpers/runs';

let h: TemporalHarness;
beforeAll(async () => {
  h = await connectHarness('cancel');
  await h.startWorker();
});
afterAll(() => h.close());

test('cancelling the run cancels running nodes, marks the rest cancelled and closes the run as cancelled', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'cancellable',
    defaults: { parallelism: 2 },
    nodes: [
      { id: 'a', type: 'sleep', params: { duration: '30s' } },
      { id: 'b', type: 'sleep', params: { duration: '30s' } },
      { id: 'c', type: 'noop', needs: ['a'] },
    ],
  });
  await waitForStatus(handle, (s) => s.counts.running === 2);
  const started = Date.now();
  await handle.cancel();
  const err = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  expect((await handle.describe()).status.name).toBe('CANCELLED');
  const status = await handle.query(statusQuery);
  expect(status.state).toBe('cancelled');
  expect(status.endedAt).toBeDefined();
  for (const id of ['a', 'b', 'c']) expect(nodeOf(status, id).state).toBe('cancelled');
});
