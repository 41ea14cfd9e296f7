/**
 * SIGTERM to a worker process in the middle of a 1M-row load, with a grace time too short for the load to finish:
 * the worker stops polling, cancels the node when the grace time is up (its open batch rolls back) and exits 0
 * within the grace time (plus a margin); another worker completes the run, and the target holds every row once.
 */
import { createTestData, type TestData } from '../../helpers/data';
import { expectLedgerComplete } from '../../helpers/ledger';
import { dataWorkerEnv, ledgerBatches, salesLoad, takeoverWorker } from '../../helpers/load-run';
import { nodeOf, startPipeline } from '../../helpers/runs';
import { createSalesFile, SALES_DDL, type SalesFile } from '../../helpers/sales-file';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';
import { spawnWorkerProcess } from '../../helpers/worker-process';

const ROWS = 1_000_000;
const BATCH_ROWS = 25_000;
const GRACE_MS = 1_000;

let h: TemporalHarness;
let d: TestData;
let sales: SalesFile;
beforeAll(async () => {
  [h, d, sales] = await Promise.all([connectHarness('sigterm-load'), createTestData('sigterm'), createSalesFile(ROWS)]);
}, 60_000);
afterAll(async () => {
  await h.close();
  await d.drop();
  sales.remove();
});

test('SIGTERM mid-load: the worker exits within its grace time; another worker completes the load exactly', async () => {
  const target = `"${d.schema}".sales`;
  await d.pool.query(`CREATE TABLE ${target} ${SALES_DDL}; ALTER TABLE ${target} ADD PRIMARY KEY (id)`);
  const queue = `${h.taskQueue}-term`;
  const first = spawnWorkerProcess(h.address, queue, {
    ...dataWorkerEnv(d),
    PIPEWRIGHT_SHUTDOWN_GRACE: `${GRACE_MS}ms`,
  });
  await first.ready;
  const handle = await startPipeline(
    h.client,
    queue,
    salesLoad({
      name: 'sigterm-load',
      path: sales.path,
      table: `${d.schema}.sales`,
      batchRows: BATCH_ROWS,
      defaults: { heartbeatTimeout: '5s', retry: { initialInterval: '200ms' } },
    }),
  );
  const deadline = Date.now() + 90_000;
  while ((await ledgerBatches(d, handle.workflowId)).length < 2 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));

  const signalledAt = Date.now();
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  // The grace time, plus the node's own stop (rolling back its open batch) and the process's exit.
  expect(Date.now() - signalledAt).toBeLessThan(GRACE_MS + 5_000);
  const atExit = (await ledgerBatches(d, handle.workflowId)).length;
  expect(atExit).toBeLessThan(ROWS / BATCH_ROWS);
  // Only whole committed batches are in the target: the batch open at the cancellation rolled back.
  const { n } = (await d.rows<{ n: string }>(`SELECT count(*) n FROM ${target}`))[0] ?? { n: '' };
  expect(Number(n)).toBe(atExit * BATCH_ROWS);

  const second = await takeoverWorker(h, queue, d);
  const { status } = await second.runUntil(handle.result());
  expect(status.state).toBe('completed');
  expect(nodeOf(status, 'load').output?.stats?.rowsWritten).toBe(ROWS);
  const [counts] = await d.rows<{ n: string; ids: string; lo: string; hi: string }>(
    `SELECT count(*) n, count(DISTINCT id) ids, min(id) lo, max(id) hi FROM ${target}`,
  );
  expect(counts).toEqual({ n: String(ROWS), ids: String(ROWS), lo: '1', hi: String(ROWS) });
  // Batches 1..ROWS/BATCH_ROWS, each of BATCH_ROWS rows, under the run's one run id, adding up to the target.
  await expectLedgerComplete(d.pool, d.schema, {
    workflowId: handle.workflowId,
    runId: handle.firstExecutionRunId,
    nodeId: 'load',
    sourceRows: ROWS,
    batchRows: BATCH_ROWS,
    target,
  });
}, 180_000);
