/** Starting the same run key twice gives the same run, while it runs and after it closed. */
import { PipewrightClient } from '../../src/client/client';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness, uniqueId } from '../helpers/temporal';

let h: TemporalHarness;
let pw: PipewrightClient;
beforeAll(async () => {
  h = await connectHarness('idem');
  await h.startWorker();
  pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
});
afterAll(() => h.close());

const definition = (ms: number) => ({
  name: 'idempotent',
  nodes: [{ id: 'only', type: 'sleep', params: { duration: `${ms}ms` } }],
});

test('the same run key while the run is running returns that run', async () => {
  const runKey = uniqueId('key');
  const first = await pw.start(definition(800), { runKey });
  const second = await pw.start(definition(800), { runKey });
  expect(first.existing).toBe(false);
  expect(second).toEqual({ ...first, existing: true });
  const outcome = await pw.result(first.workflowId);
  expect(outcome.outcome).toBe('completed');
  expect(outcome.status?.nodes[0]?.executions).toBe(1);
});

test('the same run key after the run completed returns the closed run and starts nothing', async () => {
  const runKey = uniqueId('key');
  const first = await pw.start(definition(100), { runKey });
  await pw.result(first.workflowId);
  const again = await pw.start(definition(100), { runKey });
  expect(again).toEqual({ ...first, existing: true });
  const described = await pw.describe(first.workflowId);
  expect(described).toMatchObject({ runId: first.runId, executionState: 'completed' });
});

test('another run key starts another run', async () => {
  const a = await pw.start(definition(50), { runKey: uniqueId('key') });
  const b = await pw.start(definition(50), { runKey: uniqueId('key') });
  expect(a.workflowId).not.toBe(b.workflowId);
  expect(b.existing).toBe(false);
  await Promise.all([pw.result(a.workflowId), pw.result(b.workflowId)]);
});
