/**
 * Pause immediate in the middle of a load, then resume: the COPY stops and its open batch rolls back (the target
 * holds only whole committed batches while paused), and the resumed execution starts after the checkpoint the
 * cancelled one reported, ending with exactly the source rows.
 */
import { createPipewrightWorker } from '../../../worker/create-worker';
import { setPausedUpdate } from '../../../src/engine/messages';
import { createTestData, type TestData } from '../../helpers/data';
import { expectLedgerComplete } from '../../helpers/ledger';
import { ledgerBatches, salesLoad } from '../../helpers/load-run';
import { createSalesFile, type SalesFile } from '../../helpers/sales-file';
import { WORKFLOW_BUNDLE } from '../../helpers/paths';
import { nodeOf, startPipeline } from '../../helpers/runs';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';

const ROWS = 1_000_000;
const BATCH_ROWS = 25_000;

let h: TemporalHarness;
let d: TestData;
let sales: SalesFile;
beforeAll(async () => {
  [h, d, sales] = await Promise.all([connectHarness('pause-load'), createTestData('pauseload'), createSalesFile(ROWS)]);
}, 60_000);
afterAll(async () => {
  await h.close();
  await d.drop();
  sales.remove();
});

const count = async (table: string) => Number((await d.rows<{ n: string }>(`SELECT count(*) n FROM ${table}`))[0]?.n);

test('pause immediate mid-load rolls back the open batch; resume continues after the checkpoint, exactly', async () => {
  const target = `"${d.schema}".sales`;
  await d.pool.query(
    `CREATE TABLE ${target} (id bigint PRIMARY KEY, ts timestamptz, region text, product text, qty integer, price numeric)`,
  );
  // Heartbeats every 100 ms at most, so the cancellation reaches the node while it is still loading.
  const worker = await createPipewrightWorker({
    connection: h.nativeConnection,
    taskQueue: h.taskQueue,
    workflowBundlePath: WORKFLOW_BUNDLE,
    data: d.services,
    heartbeatThrottleMs: 100,
  });
  await worker.runUntil(async () => {
    const handle = await startPipeline(
      h.client,
      h.taskQueue,
      salesLoad({
        name: 'pause-load',
        path: sales.path,
        table: `${d.schema}.sales`,
        batchRows: BATCH_ROWS,
        defaults: { heartbeatTimeout: '1s' },
      }),
    );
    const deadline = Date.now() + 60_000;
    while ((await ledgerBatches(d, handle.workflowId)).length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));

    const paused = await handle.executeUpdate(setPausedUpdate, { args: [{ paused: true, mode: 'immediate' }] });
    expect(paused.state).toBe('paused');
    expect(nodeOf(paused, 'load').state).toBe('pending');
    // Only whole batches are visible: the batch open at the cancellation was rolled back.
    const committed = (await ledgerBatches(d, handle.workflowId)).length;
    expect(committed).toBeGreaterThanOrEqual(2);
    expect(committed).toBeLessThan(ROWS / BATCH_ROWS);
    expect(await count(target)).toBe(committed * BATCH_ROWS);
    await new Promise((r) => setTimeout(r, 300));
    expect(await count(target)).toBe(committed * BATCH_ROWS);

    await handle.executeUpdate(setPausedUpdate, { args: [{ paused: false }] });
    const { status } = await handle.result();
    expect(status.state).toBe('completed');
    const load = nodeOf(status, 'load');
    expect(load.executions).toBe(2);
    // The resumed execution started from the checkpoint the cancelled one reported.
    expect(load.output?.stats?.resumedAfterBatch).toBe(committed);
    expect(load.output?.stats?.rowsLoaded).toBe(ROWS - committed * BATCH_ROWS);
    expect(load.output?.stats?.rowsWritten).toBe(ROWS);

    expect(await count(target)).toBe(ROWS);
    // Batches 1..ROWS/BATCH_ROWS, each of BATCH_ROWS rows, under the run's one run id, adding up to the target.
    await expectLedgerComplete(d.pool, d.schema, {
      workflowId: handle.workflowId,
      runId: handle.firstExecutionRunId,
      nodeId: 'load',
      sourceRows: ROWS,
      batchRows: BATCH_ROWS,
      target,
    });
    const [{ min, max } = { min: '', max: '' }] = await d.rows<{ min: string; max: string }>(
      `SELECT min(id) min, max(id) max FROM ${target}`,
    );
    expect([min, max]).toEqual(['1', String(ROWS)]);
  });
}, 120_000);
