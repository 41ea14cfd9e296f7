/**
 * A real worker process (worker/main.ts, as deployed) is killed with SIGKILL in the middle of a 1M-row load; a new
 * worker finishes the run. The target then holds exactly the source rows: the same count and checksum as a direct
 * `psql \copy` of the same file, no duplicate ids, and each ledger batch once.
 */
import { execFileSync } from 'node:child_process';
import { DEFAULT_DATABASE_URL } from '../../../src/platform/config/config';
import { createTestData, type TestData } from '../../helpers/data';
import { expectLedgerComplete } from '../../helpers/ledger';
import { checkpointedBatch, dataWorkerEnv, ledgerBatches, salesLoad, takeoverWorker } from '../../helpers/load-run';
import { createSalesFile, SALES_COLUMNS, SALES_DDL, type SalesFile } from '../../helpers/sales-file';
import { nodeOf, startPipeline } from '../../helpers/runs';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';
import { spawnWorkerProcess } from '../../helpers/worker-process';

const ROWS = 1_000_000;
const BATCH_ROWS = 50_000;
const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

let h: TemporalHarness;
let d: TestData;
let sales: SalesFile;
beforeAll(async () => {
  [h, d, sales] = await Promise.all([connectHarness('crash-load'), createTestData('crash'), createSalesFile(ROWS)]);
}, 60_000);
afterAll(async () => {
  await h.close();
  await d.drop();
  sales.remove();
});

/** Count, distinct ids and an order-independent checksum of every column of `table`. */
const fingerprint = async (table: string) =>
  (
    await d.rows<{ n: string; ids: string; sum: string }>(
      `SELECT count(*) n, count(DISTINCT id) ids, sum(hashtext(t::text)::numeric) sum FROM ${table} t`,
    )
  )[0];

test('SIGKILL mid-load: a new worker finishes the run, and the target equals a direct \\copy of the file', async () => {
  const target = `"${d.schema}".sales`;
  const reference = `"${d.schema}".reference`;
  await d.pool.query(`CREATE TABLE ${target} ${SALES_DDL}; CREATE TABLE ${reference} ${SALES_DDL}`);
  const queue = `${h.taskQueue}-crash`;
  const first = spawnWorkerProcess(h.address, queue, {
    ...dataWorkerEnv(d),
    // Checkpoints reach Temporal within 200 ms instead of 1 s, so the kill can land after one did and mid-load.
    PIPEWRIGHT_HEARTBEAT_THROTTLE: '200ms',
  });
  await first.ready;

  const handle = await startPipeline(
    h.client,
    queue,
    salesLoad({
      name: 'crash-load',
      path: sales.path,
      table: `${d.schema}.sales`,
      batchRows: BATCH_ROWS,
      defaults: { heartbeatTimeout: '3s', retry: { initialInterval: '200ms', maximumAttempts: 5 } },
    }),
  );

  // Kill once a few batches are committed and Temporal holds a heartbeat whose checkpoint names one of them, well
  // before the last batch: the new attempt must resume from that checkpoint.
  const deadline = Date.now() + 90_000;
  let committed = 0;
  let heartbeated = 0;
  while ((committed < 3 || heartbeated < 1) && Date.now() < deadline) {
    [committed, heartbeated] = await Promise.all([
      ledgerBatches(d, handle.workflowId).then((b) => b.length),
      checkpointedBatch(h.client, handle.workflowId),
    ]);
    await new Promise((r) => setTimeout(r, 20));
  }
  first.child.kill('SIGKILL');
  await first.exited;
  const atKill = (await ledgerBatches(d, handle.workflowId)).length;
  expect(atKill).toBeGreaterThanOrEqual(3);
  expect(atKill).toBeLessThan(ROWS / BATCH_ROWS);

  const replacement = await takeoverWorker(h, queue, d);
  const { status } = await replacement.runUntil(handle.result());
  expect(status.state).toBe('completed');
  const load = nodeOf(status, 'load');
  expect(load.attempts).toBe(2);
  // The second attempt resumed after the last batch the killed one heartbeated, not from scratch.
  expect(load.output?.stats?.resumedAfterBatch).toBeGreaterThanOrEqual(1);
  expect(load.output?.stats?.rowsLoaded).toBeLessThan(ROWS);
  expect(load.output?.stats?.rowsWritten).toBe(ROWS);

  const cols = SALES_COLUMNS.map((c) => c.name).join(', ');
  execFileSync('psql', [
    url,
    '-v',
    'ON_ERROR_STOP=1',
    '-qc',
    `\\copy ${reference} (${cols}) from '${sales.path}' csv header`,
  ]);
  const [got, want] = await Promise.all([fingerprint(target), fingerprint(reference)]);
  expect(want?.n).toBe(String(ROWS));
  expect(got).toEqual(want);
  expect(got?.ids).toBe(String(ROWS));

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
