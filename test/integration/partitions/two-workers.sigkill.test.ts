/**
 * Two worker processes (worker/main.ts, as deployed) on one task queue run a partitioned load (`split: { parts: 8 }`
 * of a 400K-row CSV); one is killed with SIGKILL once batches are committed and it runs a partition; the other
 * finishes the run. The target then holds exactly the rows of psql `\copy` of the file (count and checksum), and
 * each partition's ledger holds its batches once.
 */
import { createTestData, type TestData } from '../../helpers/data';
import { dataWorkerEnv, ledgerBatches } from '../../helpers/load-run';
import { expectPartitionLedgers } from '../../helpers/partition-ledger';
import { psqlCopy } from '../../helpers/psql-copy';
import { createSalesFile, SALES_COLUMNS, SALES_DDL, type SalesFile } from '../../helpers/sales-file';
import { tableChecksum } from '../../helpers/table-checksum';
import { nodeOf, startPipeline } from '../../helpers/runs';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';
import { spawnWorkerProcess, type WorkerProcess } from '../../helpers/worker-process';
import type { PipelineResult } from '../../../src/engine/run-input';

const ROWS = 400_000;
const PARTS = 8;
const BATCH_ROWS = 10_000;
const names = SALES_COLUMNS.map((c) => c.name);

let h: TemporalHarness;
let d: TestData;
let sales: SalesFile;
const workers: WorkerProcess[] = [];
beforeAll(async () => {
  [h, d, sales] = await Promise.all([connectHarness('two-workers'), createTestData('twowk'), createSalesFile(ROWS)]);
}, 60_000);
afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  await h.close();
  await d.drop();
  sales.remove();
});

/** The identities of the workers running the run's activities now. */
async function runningOn(workflowId: string): Promise<string[]> {
  const { raw } = await h.client.workflow.getHandle(workflowId).describe();
  return (raw.pendingActivities ?? [])
    .filter((a) => String(a.state) === 'PENDING_ACTIVITY_STATE_STARTED' || a.state === 2)
    .map((a) => a.lastWorkerIdentity ?? '');
}

test('two workers run a split load; one is SIGKILLed mid-load, the other finishes it exactly once', async () => {
  const target = `${d.schema}.sales`;
  const reference = `${d.schema}.reference`;
  await d.pool.query(`CREATE TABLE ${target} ${SALES_DDL}; CREATE TABLE ${reference} ${SALES_DDL}`);
  const queue = `${h.taskQueue}-two-workers`;
  // Four activities per worker: neither takes all eight partitions, so both run some when the victim is killed.
  const env = {
    ...dataWorkerEnv(d),
    PIPEWRIGHT_HEARTBEAT_THROTTLE: '200ms',
    PIPEWRIGHT_MAX_CONCURRENT_ACTIVITIES: '4',
  };
  const [victim, survivor] = [spawnWorkerProcess(h.address, queue, env), spawnWorkerProcess(h.address, queue, env)];
  workers.push(victim, survivor);
  await Promise.all([victim.ready, survivor.ready]);

  const handle = await startPipeline(h.client, queue, {
    name: 'two-workers',
    defaults: { parallelism: PARTS, heartbeatTimeout: '3s', retry: { initialInterval: '200ms', maximumAttempts: 5 } },
    nodes: [
      { id: 'read', type: 'source.csv', params: { path: sales.path, columns: SALES_COLUMNS, split: { parts: PARTS } } },
      {
        id: 'load',
        type: 'sink.postgres',
        needs: ['read'],
        params: { table: target, batchRows: BATCH_ROWS },
      },
    ],
  });

  // Kill the victim once batches are committed and it runs a partition, well before the load ends.
  const victimId = `${victim.child.pid}@`;
  const deadline = Date.now() + 30_000;
  let committed = 0;
  let victimRuns = false;
  while ((committed < 3 || !victimRuns) && Date.now() < deadline) {
    [committed, victimRuns] = await Promise.all([
      ledgerBatches(d, handle.workflowId).then((b) => b.length),
      runningOn(handle.workflowId).then((ids) => ids.some((id) => id.startsWith(victimId))),
    ]);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(victimRuns).toBe(true);
  victim.child.kill('SIGKILL');
  await victim.exited;
  const atKill = (await ledgerBatches(d, handle.workflowId)).length;
  expect(atKill).toBeGreaterThanOrEqual(3);
  expect(atKill).toBeLessThan(ROWS / BATCH_ROWS);

  const { status } = (await handle.result()) as PipelineResult;
  expect(status.state).toBe('completed');
  expect(nodeOf(status, 'read').partitions).toMatchObject({ kind: 'byte-range', count: PARTS, done: PARTS, failed: 0 });
  // The partitions the victim ran were retried on the survivor.
  expect(nodeOf(status, 'load').attempts).toBeGreaterThanOrEqual(2);
  expect(survivor.child.exitCode).toBeNull();

  psqlCopy(reference, sales.path);
  const [got, want] = await Promise.all([
    tableChecksum(d.pool, target, names),
    tableChecksum(d.pool, reference, names),
  ]);
  expect(want.count).toBe(ROWS);
  expect(got).toEqual(want);
  await expectPartitionLedgers(d.pool, d.schema, {
    workflowId: handle.workflowId,
    nodeId: 'load',
    partitions: PARTS,
    batchRows: BATCH_ROWS,
    rows: ROWS,
  });
}, 90_000);
