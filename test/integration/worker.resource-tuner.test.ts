/**
 * Workers that admit node activities by the machine's memory and CPU (`PIPEWRIGHT_WORKER_TUNER=resource`): given six
 * ready 1M-row loads, a worker whose memory target the machine is already above runs fewer at once than a worker
 * with fixed slots (counted from each run's history), and every load lands exactly once either way.
 */
import type { Worker } from '@temporalio/worker';
import type { ActivitySlots } from '../../src/platform/config/config';
import { createPipewrightWorker } from '../../worker/create-worker';
import { createTestData, type TestData } from '../helpers/data';
import { expectLedgerComplete } from '../helpers/ledger';
import { WORKFLOW_BUNDLE } from '../helpers/paths';
import { startPipeline } from '../helpers/runs';
import { createSalesFile, SALES_COLUMNS, SALES_DDL, type SalesFile } from '../helpers/sales-file';
import { connectHarness, type TemporalHarness } from '../helpers/temporal';

const ROWS = 1_000_000;
const LOADS = 6;
let h: TemporalHarness;
let d: TestData;
let sales: SalesFile;

beforeAll(async () => {
  [h, d, sales] = await Promise.all([connectHarness('tuner'), createTestData('tuner'), createSalesFile(ROWS)]);
}, 60_000);
afterAll(async () => {
  await h?.close();
  await d?.drop();
  sales?.remove();
});

/** Six independent loads of the same file, each into a table of its own. */
const sixLoads = (tag: string) => ({
  name: `six-${tag}`,
  defaults: { parallelism: LOADS },
  nodes: Array.from({ length: LOADS }, (_, i) => [
    { id: `read${i}`, type: 'source.csv', params: { path: sales.path, columns: SALES_COLUMNS } },
    {
      id: `load${i}`,
      type: 'sink.postgres',
      needs: [`read${i}`],
      params: { table: `${d.schema}.${tag}_${i}`, batchRows: 250_000 },
    },
  ]).flat(),
});

/** The most activities that ran at the same time, from the run's ActivityTaskStarted and Completed events. */
async function mostAtOnce(workflowId: string): Promise<number> {
  const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
  const changes: Array<[number, number]> = [];
  for (const e of history.events ?? []) {
    const at = Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
    if (e.activityTaskStartedEventAttributes) changes.push([at, 1]);
    if (e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes) changes.push([at, -1]);
  }
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, step] of changes) most = Math.max(most, (now += step));
  return most;
}

async function runWith(tag: string, activitySlots: ActivitySlots): Promise<number> {
  for (let i = 0; i < LOADS; i++) await d.pool.query(`CREATE TABLE "${d.schema}".${tag}_${i} ${SALES_DDL}`);
  const taskQueue = `${h.taskQueue}-${tag}`;
  const worker: Worker = await createPipewrightWorker({
    connection: h.nativeConnection,
    taskQueue,
    workflowBundlePath: WORKFLOW_BUNDLE,
    data: d.services,
    activitySlots,
  });
  const handle = await startPipeline(h.client, taskQueue, sixLoads(tag));
  const result = (await worker.runUntil(handle.result())) as { status: { state: string } };
  expect(result.status.state).toBe('completed');
  for (let i = 0; i < LOADS; i++)
    await expectLedgerComplete(d.pool, d.schema, {
      workflowId: handle.workflowId,
      runId: handle.firstExecutionRunId,
      nodeId: `load${i}`,
      sourceRows: ROWS,
      batchRows: 250_000,
      target: `"${d.schema}".${tag}_${i}`,
    });
  return mostAtOnce(handle.workflowId);
}

test('a resource-based worker over its memory target runs fewer loads at once than fixed slots; each lands once', async () => {
  const fixed = await runWith('fixed', { kind: 'fixed', slots: 100 });
  // 1 % of this machine's memory is far below what it uses already: the tuner hands out only its minimum.
  const tuned = await runWith('tuned', {
    kind: 'resource',
    targetMemory: 0.01,
    targetCpu: 0.01,
    minimum: 1,
    maximum: 100,
  });
  expect(fixed).toBe(LOADS);
  expect(tuned).toBeLessThan(fixed);
  expect(tuned).toBeGreaterThanOrEqual(1);
}, 240_000);
