/**
 * Postgres itself restarts mid-load: a cluster of the test's own is stopped with `pg_ctl -m immediate` (every backend
 * aborted, as in a crash) while a 600K-row CSV load runs against it, and started again a few seconds later. The
 * breaker opens while it is down and closes once it is back; the run completes, and the target equals psql's
 * `\copy` of the same file into the same cluster (count and checksum), each ledger batch once.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import type { PipelineResult } from '../../../src/engine/run-input';
import { createDataServices, type DataServices } from '../../../src/data/services';
import { createBreakers, type Breakers } from '../../../src/platform/resilience/breakers';
import { postgresResource } from '../../../src/platform/resilience/resources';
import { expectLedgerComplete } from '../../helpers/ledger';
import { salesLoad } from '../../helpers/load-run';
import { startPrivatePostgres, type PrivatePostgres } from '../../helpers/private-postgres';
import { startPipeline } from '../../helpers/runs';
import { createSalesFile, SALES_COLUMNS, SALES_DDL, type SalesFile } from '../../helpers/sales-file';
import { tableChecksum } from '../../helpers/table-checksum';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';

const ROWS = 600_000;
const BATCH_ROWS = 5_000;
const RESET_MS = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cluster: PrivatePostgres;
let h: TemporalHarness;
let breakers: Breakers;
let data: DataServices;
let sales: SalesFile;
let pool: pg.Pool;
const timeline: Array<{ at: number; state: 'open' | 'halfOpen' | 'closed' }> = [];

beforeAll(async () => {
  [cluster, sales] = await Promise.all([startPrivatePostgres(), createSalesFile(ROWS)]);
  const resource = postgresResource(cluster.url);
  const note = (message: string) => {
    if (!message.startsWith(`circuit breaker ${resource} `)) return;
    timeline.push({
      at: Date.now(),
      state: / opened/.test(message) ? 'open' : / half-open/.test(message) ? 'halfOpen' : 'closed',
    });
  };
  breakers = createBreakers({
    defaults: {
      timeoutMs: 2_000,
      errorThresholdPercentage: 25,
      volumeThreshold: 3,
      resetTimeoutMs: RESET_MS,
      rollingWindowMs: 5_000,
    },
    log: { info: note, warn: note },
  });
  data = createDataServices({ url: cluster.url, projectSchema: 'pw', stagingSchema: 'pw_stg', poolMax: 4, breakers });
  await data.ready(data.pool());
  pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
  // An error on an idle client while the cluster is down must not end the test process.
  pool.on('error', () => undefined);
  h = await connectHarness('pg-restart');
  await h.startWorker([], { data });
}, 90_000);

afterAll(async () => {
  await h?.close();
  await pool?.end();
  await data?.close();
  await breakers?.close();
  await cluster?.remove();
  sales?.remove();
});

const committedBatches = async (workflowId: string): Promise<number> => {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM pw.load_ledger WHERE workflow_id = $1', [
    workflowId,
  ]);
  return Number(rows[0]?.n ?? 0);
};

test('pg_ctl -m immediate mid-load: the breaker opens and closes, the run completes, rows exact', async () => {
  await pool.query(`CREATE TABLE public.sales ${SALES_DDL}; CREATE TABLE public.reference ${SALES_DDL}`);
  const handle = await startPipeline(
    h.client,
    h.taskQueue,
    salesLoad({
      name: 'pg-restart',
      path: sales.path,
      table: 'public.sales',
      batchRows: BATCH_ROWS,
      defaults: {
        timeout: '3m',
        heartbeatTimeout: '10s',
        retry: { initialInterval: '100ms', maximumInterval: '1s', maximumAttempts: 0, jitter: 0.3 },
      },
    }),
  );
  const deadline = Date.now() + 60_000;
  let before = 0;
  while ((before = await committedBatches(handle.workflowId)) < 3 && Date.now() < deadline) await sleep(20);
  expect(before).toBeLessThan(ROWS / BATCH_ROWS);
  const stoppedAt = Date.now();
  await cluster.stop('immediate');
  // Down for three reset timeouts after the breaker opened.
  while (!timeline.some((t) => t.state === 'open' && t.at >= stoppedAt) && Date.now() < stoppedAt + 20_000)
    await sleep(20);
  expect(timeline.some((t) => t.state === 'open' && t.at >= stoppedAt)).toBe(true);
  await sleep(3 * RESET_MS);
  await cluster.start();
  const startedAt = Date.now();

  const result = (await handle.result()) as PipelineResult;
  expect(result.status.state).toBe('completed');
  expect(timeline.some((t) => t.state === 'closed' && t.at >= startedAt)).toBe(true);

  const cols = SALES_COLUMNS.map((c) => c.name);
  execFileSync('psql', [
    cluster.url,
    '-v',
    'ON_ERROR_STOP=1',
    '-qc',
    `\\copy public.reference (${cols.join(', ')}) from '${sales.path}' csv header`,
  ]);
  const [got, want] = await Promise.all([
    tableChecksum(pool, 'public.sales', cols),
    tableChecksum(pool, 'public.reference', cols),
  ]);
  expect(want.count).toBe(ROWS);
  expect(got).toEqual(want);
  await expectLedgerComplete(pool, 'pw', {
    workflowId: handle.workflowId,
    runId: handle.firstExecutionRunId,
    nodeId: 'load',
    sourceRows: ROWS,
    batchRows: BATCH_ROWS,
    target: 'public.sales',
  });
}, 180_000);
