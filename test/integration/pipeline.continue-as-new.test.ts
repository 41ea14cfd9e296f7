import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness } from '../helpers/temporal';
import { startPipeline } from '../helpers/runs';

let h: TemporalHarness;
beforeAll(async () => {
  h = await connectHarness('can');
  await h.startWorker();
});
afterAll(() => h.close());

/** 300 nodes in 30 layers of 10; each node of a layer needs two nodes of the layer before. */
function wideDag(layers: number, width: number) {
  const nodes = [];
  for (let l = 0; l < layers; l++)
    for (let w = 0; w < width; w++)
      nodes.push({
        id: `n${l}-${w}`,
        type: 'noop',
        needs: l === 0 ? [] : [`n${l - 1}-${w}`, `n${l - 1}-${(w + 1) % width}`],
      });
  return { name: 'wide', defaults: { parallelism: 20 }, nodes };
}

test('a 300-node DAG completes across continue-as-new, carrying every node state', async () => {
  // The test server suggests continue-as-new at 600 events (global setup); the limit below is a backstop
  // for runs against an external server with default settings.
  const handle = await startPipeline(h.client, h.taskQueue, wideDag(30, 10), { historyEventLimit: 2_000 });
  const { status } = await handle.result();
  expect(status.state).toBe('completed');
  expect(status.counts.succeeded).toBe(300);
  expect(status.generation).toBeGreaterThan(1);
  expect(status.nodes.every((n) => n.state === 'succeeded' && n.attempts === 1)).toBe(true);
  // Each run's history stayed short.
  const first = h.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
  const history = await first.fetchHistory();
  expect(history.events?.length ?? 0).toBeLessThan(2_100);
}, 120_000);
