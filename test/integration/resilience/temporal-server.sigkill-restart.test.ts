/**
 * The Temporal server itself dies: a dev server of the test's own, keeping its state in a database file, is killed
 * with SIGKILL while several runs are open (a 400K-row CSV load among them, mid-load, and runs of sleeping nodes),
 * then started again on the same file and port. The worker reconnects by itself; every run completes, and the load's
 * target equals psql's `\copy` of the same file (count and checksum), each ledger batch once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../../src/platform/devserver';
import type { PipelineResult } from '../../../src/engine/run-input';
import { createPipewrightWorker } from '../../../worker/create-worker';
import { createTestData, type TestData } from '../../helpers/data';
import { expectLedgerComplete } from '../../helpers/ledger';
import { ledgerBatches, salesLoad } from '../../helpers/load-run';
import { TEMPORAL_BIN, WORKFLOW_BUNDLE } from '../../helpers/paths';
import { psqlCopy } from '../../helpers/psql-copy';
import { startPipeline } from '../../helpers/runs';
import { createSalesFile, SALES_COLUMNS, SALES_DDL, type SalesFile } from '../../helpers/sales-file';
import { tableChecksum } from '../../helpers/table-checksum';

const ROWS = 400_000;
const BATCH_ROWS = 20_000;

let dir: string;
let server: DevServer | undefined;
let d: TestData;
let sales: SalesFile;
let native: NativeConnection | undefined;
let connection: Connection | undefined;
let worker: Worker | undefined;
let running: Promise<void> | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-server-kill-'));
  [d, sales] = await Promise.all([createTestData('srvkill'), createSalesFile(ROWS)]);
}, 60_000);
afterAll(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running?.catch(() => undefined);
  await native?.close().catch(() => undefined);
  await connection?.close().catch(() => undefined);
  await server?.stop(2_000);
  await d?.drop();
  sales?.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sleeps = (name: string) => ({
  name,
  nodes: [
    { id: 'a', type: 'sleep', params: { duration: '3s' } },
    { id: 'b', type: 'sleep', needs: ['a'], params: { duration: '3s' } },
    { id: 'c', type: 'noop', needs: ['b'] },
  ],
});

test('SIGKILL of the Temporal server mid-run: restarted on its database file, every run completes, rows exact', async () => {
  const dbFile = path.join(dir, 'temporal.db');
  server = await startDevServer({ bin: TEMPORAL_BIN, headless: true, dbFile });
  const port = Number(server.address.split(':')[1]);
  native = await NativeConnection.connect({ address: server.address });
  connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const taskQueue = 'server-kill';
  worker = await createPipewrightWorker({
    connection: native,
    taskQueue,
    workflowBundlePath: WORKFLOW_BUNDLE,
    data: d.services,
  });
  running = worker.run();

  const target = `${d.schema}.sales`;
  await d.pool.query(`CREATE TABLE ${target} ${SALES_DDL}; CREATE TABLE ${d.schema}.reference ${SALES_DDL}`);
  const load = await startPipeline(
    client,
    taskQueue,
    salesLoad({
      name: 'server-kill-load',
      path: sales.path,
      table: target,
      batchRows: BATCH_ROWS,
      defaults: { heartbeatTimeout: '5s', retry: { initialInterval: '200ms', maximumInterval: '2s' } },
    }),
  );
  const others = await Promise.all([1, 2, 3].map((i) => startPipeline(client, taskQueue, sleeps(`server-kill-${i}`))));

  // Kill once the load has committed a few batches, well before its last.
  const deadline = Date.now() + 60_000;
  while ((await ledgerBatches(d, load.workflowId)).length < 2 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  process.kill(server.pid, 'SIGKILL');
  const atKill = (await ledgerBatches(d, load.workflowId)).length;
  expect(atKill).toBeGreaterThanOrEqual(2);
  expect(atKill).toBeLessThan(ROWS / BATCH_ROWS);
  // Down for a while: the worker's polls and the load's heartbeats fail meanwhile.
  await new Promise((r) => setTimeout(r, 2_000));
  await server.stop(1_000);
  server = await startDevServer({ bin: TEMPORAL_BIN, headless: true, dbFile, port });

  const results = (await Promise.all([load, ...others].map((h) => h.result()))) as PipelineResult[];
  expect(results.map((r) => r.status.state)).toEqual(['completed', 'completed', 'completed', 'completed']);

  psqlCopy(`${d.schema}.reference`, sales.path);
  const columns = SALES_COLUMNS.map((c) => c.name);
  const [got, want] = await Promise.all([
    tableChecksum(d.pool, target, columns),
    tableChecksum(d.pool, `${d.schema}.reference`, columns),
  ]);
  expect(want.count).toBe(ROWS);
  expect(got).toEqual(want);
  await expectLedgerComplete(d.pool, d.schema, {
    workflowId: load.workflowId,
    runId: load.firstExecutionRunId,
    nodeId: 'load',
    sourceRows: ROWS,
    batchRows: BATCH_ROWS,
    target: `"${d.schema}".sales`,
  });
}, 180_000);
