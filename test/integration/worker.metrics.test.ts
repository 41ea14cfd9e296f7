/**
 * The worker process serves /healthz, /readyz (ready only once polling) and /metrics with pipewright's metrics
 * (non-zero where work was done: runs, nodes, rows, Postgres statements and COPYs) followed by the Temporal SDK's
 * own.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_DATABASE_URL } from '../../src/platform/config/config';
import { loadDefinitionFile } from '../../src/client/definition-file';
import { createLabelsSchema, lookupLoadPipeline } from '../helpers/lookup-load';
import { ROOT } from '../helpers/paths';
import { startPipeline } from '../helpers/runs';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness } from '../helpers/temporal';
import { freePort, spawnWorkerProcess } from '../helpers/worker-process';

const schema = `pwt_metrics_${randomBytes(4).toString('hex')}`;
const db = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, max: 1 });
let h: TemporalHarness;
let dir: string;
beforeAll(async () => {
  h = await connectHarness('metrics');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-metrics-'));
  // A dimension for the lookup node, so the run gives the cache (and its metrics) work to do.
  await createLabelsSchema(db, schema);
});
afterAll(async () => {
  await h.close();
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_stg CASCADE`);
  await db.end();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * 200 rows, one of them bad; the extract writes staging (COPY in); the lookup (through the cache) and the load,
 * fused, read it (COPY out) and append.
 */
function dataPipeline(): unknown {
  const file = path.join(dir, 'people.csv');
  const lines = ['id,name', ...Array.from({ length: 200 }, (_, i) => (i === 50 ? 'x,bad' : `${i},n${i}`))];
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return lookupLoadPipeline({ name: 'metrics-data', schema, file, maxRejects: 1 });
}

const get = async (url: string) => {
  try {
    const res = await fetch(url);
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: '' };
  }
};
const sample = (body: string, metric: string, labels: string): number => {
  const line = body.split('\n').find((l) => l.startsWith(`${metric}{`) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
};

test('readyz turns ready only once polling; metrics count the example run and include SDK metrics', async () => {
  const [port, sdkPort] = [await freePort(), await freePort()];
  const worker = spawnWorkerProcess(h.address, h.taskQueue, {
    PIPEWRIGHT_METRICS_PORT: String(port),
    PIPEWRIGHT_METRICS_HOST: '127.0.0.1',
    PIPEWRIGHT_SDK_METRICS_PORT: String(sdkPort),
    PIPEWRIGHT_DB_SCHEMA: schema,
    PIPEWRIGHT_STAGING_SCHEMA: `${schema}_stg`,
  });
  const base = `http://127.0.0.1:${port}`;
  const readiness: number[] = [];
  while (!worker.output().includes('polling task queue')) {
    const r = await get(`${base}/readyz`);
    if (r.status) readiness.push(r.status);
    if (worker.child.exitCode !== null) throw new Error(worker.output());
    await new Promise((r) => setTimeout(r, 50));
  }
  await worker.ready;
  // The server answers before the worker has bundled its workflows and started polling.
  expect(readiness).toContain(503);
  expect(readiness).not.toContain(200);
  const deadline = Date.now() + 5_000;
  while ((await get(`${base}/readyz`)).status !== 200 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  expect((await get(`${base}/readyz`)).status).toBe(200);
  expect(await get(`${base}/healthz`)).toEqual({ status: 200, body: 'ok\n' });

  const handle = await startPipeline(
    h.client,
    h.taskQueue,
    loadDefinitionFile(path.join(ROOT, 'examples', 'fanout.yaml')),
  );
  await handle.result();
  await (await startPipeline(h.client, h.taskQueue, dataPipeline())).result();
  const { body } = await get(`${base}/metrics`);
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);

  expect(sample(body, 'pipewright_pipeline_runs_total', 'pipeline="fanout-demo",outcome="completed"')).toBe(1);
  // A pipeline's other outcomes are there at 0, so that Prometheus's increase() counts their first occurrence.
  expect(body).toMatch(/^pipewright_pipeline_runs_total\{pipeline="fanout-demo",outcome="failed"\} 0$/m);
  expect(
    sample(body, 'pipewright_pipeline_run_duration_seconds_count', 'pipeline="fanout-demo",outcome="completed"'),
  ).toBe(1);
  expect(sample(body, 'pipewright_node_duration_seconds_count', 'node_type="sleep",outcome="succeeded"')).toBe(6);
  expect(sample(body, 'pipewright_node_duration_seconds_count', 'node_type="fail",outcome="failed"')).toBe(1);
  expect(sample(body, 'pipewright_pipeline_runs_total', 'pipeline="metrics-data",outcome="completed"')).toBe(1);
  expect(sample(body, 'pipewright_node_duration_seconds_count', 'node_type="source.csv",outcome="succeeded"')).toBe(1);
  expect(sample(body, 'pipewright_node_duration_seconds_count', 'node_type="sink.postgres",outcome="succeeded"')).toBe(
    1,
  );
  expect(sample(body, 'pipewright_rows_total', 'pipeline="metrics-data",node="extract",kind="read"')).toBe(200);
  expect(sample(body, 'pipewright_rows_total', 'pipeline="metrics-data",node="extract",kind="rejected"')).toBe(1);
  expect(sample(body, 'pipewright_rows_total', 'pipeline="metrics-data",node="load",kind="written"')).toBe(199);
  // Postgres: migrations, staging, ledger and the load's transactions; the staging write and the load's read and
  // write are COPYs.
  for (const operation of ['select', 'insert', 'create', 'begin', 'commit'])
    expect(
      sample(
        body,
        'pipewright_pg_query_duration_seconds_count',
        `operation="${operation}",connection="default",outcome="ok"`,
      ),
    ).toBeGreaterThan(0);
  expect(
    sample(body, 'pipewright_pg_query_duration_seconds_sum', 'operation="select",connection="default",outcome="ok"'),
  ).toBeGreaterThan(0);
  expect(
    sample(body, 'pipewright_pg_copy_duration_seconds_count', 'operation="copy_in",connection="default",outcome="ok"'),
  ).toBe(2);
  expect(
    sample(body, 'pipewright_pg_copy_duration_seconds_count', 'operation="copy_out",connection="default",outcome="ok"'),
  ).toBe(1);
  expect(body).toMatch(/^pipewright_activities_in_flight 0$/m);
  expect(body).toMatch(/^pipewright_worker_ready 1$/m);
  // The cache's metrics (the shared Redis, under this worker's own prefix): the lookup missed, then loaded.
  expect(body).toMatch(/^pipewright_cache_l2_available 1$/m);
  expect(sample(body, 'pipewright_cache_requests_total', 'cache="lookup",level="l1",result="miss"')).toBeGreaterThan(0);
  expect(sample(body, 'pipewright_cache_requests_total', 'cache="lookup",level="l2",result="miss"')).toBeGreaterThan(0);
  // The breaker of the database every pool connection went through: closed, with successful calls.
  const pgBreaker = 'resource="postgres://127.0.0.1:5432/postgres"';
  expect(body).toMatch(new RegExp(`^pipewright_breaker_state\\{${pgBreaker}\\} 0$`, 'm'));
  expect(sample(body, 'pipewright_breaker_events_total', `${pgBreaker},event="success"`)).toBeGreaterThan(0);
  expect(body).toMatch(/^pipewright_process_resident_memory_bytes \d+/m);
  // The Temporal SDK's own metrics, e.g. task slots and schedule-to-start latency.
  expect(body).toMatch(/^temporal_worker_task_slots_available\{/m);
  expect(body).toMatch(/temporal_activity_schedule_to_start_latency/);
}, 90_000);
