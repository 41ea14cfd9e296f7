import path from 'node:path';
import { loadDefinitionFile } from '../../src/client/definition-file';
import type { PipelineResult } from '../../src/engine/run-input';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness, uniqueId } from '../helpers/temporal';

let h: TemporalHarness;
beforeAll(async () => {
  h = await connectHarness('smoke');
  await h.startWorker();
});
afterAll(() => h.close());

test('the fan-out example completes with every node succeeded and the flaky node retried', async () => {
  const definition = loadDefinitionFile(path.join(__dirname, '../../examples/fanout.yaml'));
  const result = (await h.client.workflow.execute('pipeline', {
    taskQueue: h.taskQueue,
    workflowId: uniqueId('smoke'),
    args: [{ definition }],
  })) as PipelineResult;
  expect(result.status.state).toBe('completed');
  expect(result.status.counts.succeeded).toBe(8);
  expect(result.status.nodes.find((n) => n.id === 'part-4')?.attempts).toBe(2);
});
