/**
 * Postgres down does not fail a run (real Temporal server and Postgres): a load runs through a TCP proxy of the test's own
 * (a named connection, DATABASE_URL_PROXIED in a worker's terms); the proxy is cut mid-load and restored later.
 * The breaker opens, the node's attempts fail fast with retryable CircuitOpen failures whose next retry waits
 * for the breaker, at most one connection attempt per reset timeout reaches the proxy while it is open (the
 * half-open trial), and the run completes once Postgres is back with exactly the source rows in the target.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DEFAULT_DATABASE_URL } from '../../../src/platform/config/config';
import { createDataServices, type DataServices } from '../../../src/data/services';
import { createBreakers, type Breakers } from '../../../src/platform/resilience/breakers';
import { postgresResource } from '../../../src/platform/resilience/resources';
import type { PipelineResult } from '../../../src/engine/run-input';
import { nodeOf, startPipeline } from '../../helpers/runs';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';

const DIRECT = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const ROWS = 6_000;
const BATCH_ROWS = 200;
const RESET_MS = 1_500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let h: TemporalHarness;
let proxy: TcpProxy;
let breakers: Breakers;
let data: DataServices;
let schema: string;
let dir: string;
/** Breaker state changes of the proxied resource, with their times. */
const timeline: Array<{ at: number; state: 'open' | 'halfOpen' | 'closed' }> = [];

beforeAll(async () => {
  proxy = await startTcpProxy({ targetPort: Number(new URL(DIRECT).port || 5432), latencyMs: 10 });
  const proxied = Object.assign(new URL(DIRECT), { host: `127.0.0.1:${proxy.port}` }).toString();
  const resource = postgresResource(proxied);
  const note = (message: string) => {
    if (!message.startsWith(`circuit breaker ${resource} `)) return;
    const state = / opened/.test(message) ? 'open' : / half-open/.test(message) ? 'halfOpen' : 'closed';
    timeline.push({ at: Date.now(), state });
  };
  breakers = createBreakers({
    defaults: {
      timeoutMs: 1_000,
      errorThresholdPercentage: 25,
      volumeThreshold: 3,
      resetTimeoutMs: RESET_MS,
      // Temporal dispatches the retries about a second apart: the window must hold a few of them.
      rollingWindowMs: 5_000,
    },
    log: { info: note, warn: note },
  });
  schema = `pwt_outage_${randomBytes(4).toString('hex')}`;
  data = createDataServices({
    url: DIRECT,
    connections: { proxied },
    projectSchema: schema,
    stagingSchema: `${schema}_stg`,
    poolMax: 4,
    breakers,
  });
  await data.ready(data.pool());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-outage-'));
  const lines = Array.from({ length: ROWS }, (_, i) => JSON.stringify({ id: i + 1, name: `row ${i + 1}` }));
  fs.writeFileSync(path.join(dir, 'rows.ndjson'), `${lines.join('\n')}\n`);
  h = await connectHarness('pg-outage');
  await h.startWorker([], { data });
});

afterAll(async () => {
  await h?.close();
  const pool = data?.pool();
  await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool?.query(`DROP SCHEMA IF EXISTS "${schema}_stg" CASCADE`);
  await data?.close();
  await breakers?.close();
  await proxy?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const committedBatches = async (workflowId: string): Promise<number> => {
  const { rows } = await data
    .pool()
    .query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".load_ledger WHERE workflow_id = $1`, [workflowId]);
  return Number(rows[0]?.n ?? 0);
};

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs}ms: ${what}`);
    await sleep(20);
  }
}

test('Postgres cut mid-load: the breaker opens, at most one connection attempt per reset timeout reaches it while open, and the run completes with exactly the source rows', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'pg-outage',
    defaults: {
      timeout: '2m',
      heartbeatTimeout: '10s',
      retry: {
        initialInterval: '100ms',
        backoffCoefficient: 2,
        maximumInterval: '1s',
        maximumAttempts: 0,
        jitter: 0.3,
      },
    },
    nodes: [
      {
        id: 'rows',
        type: 'source.ndjson',
        params: {
          path: path.join(dir, 'rows.ndjson'),
          columns: [
            { name: 'id', type: 'int' },
            { name: 'name', type: 'text' },
          ],
        },
      },
      {
        id: 'load',
        type: 'sink.postgres',
        needs: ['rows'],
        params: { table: `${schema}.target`, connection: 'proxied', createTable: true, batchRows: BATCH_ROWS },
      },
    ],
  });

  // Cut once a few batches are in, well before the last.
  const before = await until('some batches committed', 30_000, async () => {
    const n = await committedBatches(handle.workflowId);
    return n >= 3 ? n : undefined;
  });
  expect(before).toBeLessThan(ROWS / BATCH_ROWS);
  proxy.cut();
  const cutAt = Date.now();

  const openedAt = await until(
    'breaker open',
    15_000,
    () => timeline.find((t) => t.state === 'open' && t.at >= cutAt)?.at,
  );

  // While open, the node's attempts fail fast with CircuitOpen and the next one waits for the breaker.
  const pending = await until('a CircuitOpen failure on the pending activity', 10_000, async () => {
    const d = await handle.describe();
    const p = d.raw.pendingActivities?.[0];
    return p?.lastFailure?.applicationFailureInfo?.type === 'CircuitOpen' ? p : undefined;
  });
  expect(pending.lastFailure?.applicationFailureInfo?.nonRetryable).toBeFalsy();
  const seconds = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
    Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
  const wait = seconds(pending.nextAttemptScheduleTime) - seconds(pending.lastAttemptCompleteTime);
  // Time until half-open (at most the reset timeout) plus a spread of at most 30% of it.
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(RESET_MS * 1.3 + 250);

  // Stay down for three reset timeouts after the breaker opened, then restore.
  await sleep(Math.max(0, openedAt + 3 * RESET_MS - Date.now()));
  proxy.restore();
  const restoredAt = Date.now();

  const result = (await handle.result()) as PipelineResult;
  expect(result.status.state).toBe('completed');
  const load = nodeOf(result.status, 'load');
  expect(load.attempts).toBeGreaterThan(2);
  expect(load.output?.stats).toMatchObject({ rowsWritten: ROWS });

  // Exactly the source rows: nothing lost, nothing doubled.
  const [check] = (
    await data
      .pool()
      .query(
        `SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, sum(id)::bigint AS total FROM "${schema}".target`,
      )
  ).rows;
  expect(check).toEqual({ n: ROWS, ids: ROWS, total: String((ROWS * (ROWS + 1)) / 2) });

  // The bound: while the breaker was open, at most one connection attempt per reset timeout (the half-open
  // trial) reached Postgres; inside the open windows themselves, none.
  const downMs = restoredAt - openedAt;
  const whileDown = proxy.attempts.filter((t) => t >= openedAt && t < restoredAt);
  expect(whileDown.length).toBeLessThanOrEqual(Math.ceil(downMs / RESET_MS) + 1);
  const openWindows = timeline
    .filter((t) => t.at >= openedAt && t.at < restoredAt)
    .flatMap((t, i, all) => (t.state === 'open' ? [[t.at, all[i + 1]?.at ?? restoredAt] as const] : []));
  expect(openWindows.length).toBeGreaterThanOrEqual(2);
  const insideOpen = whileDown.filter((t) => openWindows.some(([from, to]) => t > from + 50 && t < to));
  expect(insideOpen).toEqual([]);
  // Calls were refused meanwhile, and the breaker closed again.
  expect(timeline[timeline.length - 1]?.state).toBe('closed');
  expect(
    breakers
      .get(postgresResource(Object.assign(new URL(DIRECT), { host: `127.0.0.1:${proxy.port}` }).toString()))
      .state(),
  ).toBe('closed');
}, 90_000);
