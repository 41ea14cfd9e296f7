/**
 * The dashboard and the alert rules meet a real Prometheus (Debian's, on a free port of 127.0.0.1, scraping every
 * second with deploy/prometheus/prometheus.yml's jobs and its rule file): it scrapes a worker process (pipewright's
 * and the Temporal SDK's metrics), the shared Temporal dev server (its own metrics: the task queue backlog) and a
 * worker address where nothing listens, during real runs: two CSV loads into Postgres with rejects and lookups
 * through the cache, eight nodes queueing for a worker with two activity slots, and a run that fails on an HTTP API
 * that is down (its circuit breaker opens). Then every PromQL expression of the Grafana dashboard and of the alert
 * rules, read from their files, is evaluated through /api/v1/query and must return the series the runs made
 * (prometheus.live-expected.ts); test-artifacts/prometheus-live.json holds every result.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_DATABASE_URL } from '../../../src/platform/config/config';
import { readYaml } from '../../helpers/deploy-files';
import { createLabelsSchema } from '../../helpers/lookup-load';
import { TEMPORAL_SDK_METRICS, TEMPORAL_SERVER_METRICS } from '../../helpers/known-metrics';
import { ARTIFACTS } from '../../helpers/paths';
import { ALERT_RULES, alertRules, dashboardQueries } from '../../helpers/prometheus-files';
import type { PromSample, PrometheusServer } from '../../helpers/prometheus-server';
import { startPrometheus } from '../../helpers/prometheus-server';
import { startPipeline } from '../../helpers/runs';
import type { TemporalHarness } from '../../helpers/temporal';
import { connectHarness } from '../../helpers/temporal';
import type { WorkerProcess } from '../../helpers/worker-process';
import { freePort, spawnWorkerProcess } from '../../helpers/worker-process';
import type { Expected, LiveContext } from './prometheus.live-expected';
import { expectedAlerts, expectedDashboard, matches } from './prometheus.live-expected';
import { liveDefinitions, writeCsv } from './prometheus.live-runs';

const schema = `pwt_prom_${randomBytes(4).toString('hex')}`;
const db = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, max: 1 });
const rules = alertRules();
const queries = dashboardQueries();
let h: TemporalHarness;
let dir: string;
let prom: PrometheusServer;
let worker: WorkerProcess | undefined;
let ctx: LiveContext;
/** The result of every dashboard query (by its key) and alert expression (by the alert's name). */
const dashboard: Record<string, PromSample[]> = {};
const alerts: Record<string, PromSample[]> = {};

/** deploy/prometheus/prometheus.yml with this test's targets, a 1 s scrape and evaluation, and its rule file. */
function liveConfig(targets: Record<string, string[]>): Record<string, unknown> {
  const [deployed] = readYaml<{ scrape_configs: Array<{ job_name: string }> }>('prometheus/prometheus.yml');
  return {
    ...deployed,
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: [ALERT_RULES],
    scrape_configs: (deployed?.scrape_configs ?? []).map((job) => {
      const t = targets[job.job_name];
      if (!t) throw new Error(`no test target for job ${job.job_name} of deploy/prometheus/prometheus.yml`);
      return { ...job, static_configs: [{ targets: t }] };
    }),
  };
}

/** Waits (at most 20 s) until `expr` returns a series that has `labels`. */
async function untilSeries(expr: string, labels: Record<string, string> = {}): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await prom.query(expr)).some((s) => matches(s, labels))) {
    if (Date.now() > deadline) throw new Error(`no series ${JSON.stringify(labels)} of ${expr} within 20 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  const temporalMetrics = process.env.PIPEWRIGHT_TEST_TEMPORAL_METRICS_URL;
  if (!temporalMetrics)
    throw new Error('PIPEWRIGHT_TEST_TEMPORAL_METRICS_URL unset: with TEMPORAL_ADDRESS, set TEMPORAL_METRICS_URL too');
  h = await connectHarness('prometheus');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-prom-live-'));
  await createLabelsSchema(db, schema);

  const [port, sdkPort, nobody, downApi] = [await freePort(), await freePort(), await freePort(), await freePort()];
  ctx = {
    queue: h.taskQueue,
    serverQueue: h.taskQueue.replace(/[-.]/g, '_'),
    api: `http://127.0.0.1:${downApi}`,
    workerTarget: `127.0.0.1:${port}`,
    deadTarget: `127.0.0.1:${nobody}`,
  };
  worker = spawnWorkerProcess(h.address, h.taskQueue, {
    PIPEWRIGHT_METRICS_PORT: String(port),
    PIPEWRIGHT_METRICS_HOST: '127.0.0.1',
    PIPEWRIGHT_SDK_METRICS_PORT: String(sdkPort),
    PIPEWRIGHT_DB_SCHEMA: schema,
    PIPEWRIGHT_STAGING_SCHEMA: `${schema}_stg`,
    // Two slots: the eight parallel nodes of the backlog run queue on the server.
    PIPEWRIGHT_MAX_CONCURRENT_ACTIVITIES: '2',
  });
  prom = await startPrometheus(
    liveConfig({ 'pipewright-worker': [ctx.workerTarget, ctx.deadTarget], temporal: [new URL(temporalMetrics).host] }),
  );
  await worker.ready;
  await untilSeries(`pipewright_worker_ready{instance="${ctx.workerTarget}"} == 1`);

  const defs = liveDefinitions({ schema, dir, downApi: ctx.api });
  writeCsv(defs.fileA, 0, 200);
  writeCsv(defs.fileB, 100, 300);
  const run = async (definition: unknown): Promise<string> => {
    const handle = await startPipeline(h.client, h.taskQueue, definition);
    return handle.result().then(
      (r) => (r as { status: { state: string } }).status.state,
      () => 'failed',
    );
  };
  const states = [await run(defs.data(defs.fileA))];
  // Prometheus sees the first load's counts before the second adds to them: rate() and increase() count from a
  // series' second sample on.
  await untilSeries('pipewright_pipeline_runs_total{pipeline="prom-data",outcome="completed"} == 1');
  states.push(await run(defs.data(defs.fileB)), await run(defs.backlog), await run(defs.broken));
  expect(states).toEqual(['completed', 'completed', 'completed', 'failed']);
  // A few samples after the last run, for the range functions.
  await untilSeries('count_over_time(pipewright_pipeline_runs_total{outcome="failed"}[1m]) >= 3', {
    pipeline: 'prom-broken',
  });

  for (const q of queries) dashboard[q.key] = await prom.query(q.expr);
  for (const r of rules) alerts[r.alert] = await prom.query(r.expr);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, 'prometheus-live.json'), JSON.stringify({ dashboard, alerts }, null, 2));
}, 120_000);

afterAll(async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill('SIGTERM');
    await worker.exited;
  }
  await prom?.stop();
  await h?.close();
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_stg CASCADE`);
  await db.end();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Each expected series is in the result once, with a value that passes its check. */
function expectSeries(results: Record<string, PromSample[]>, expected: Expected): void {
  expect(Object.keys(results).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, samples] of Object.entries(results))
    for (const [labels, check] of expected[key] ?? []) {
      const found = samples.filter((s) => matches(s, labels));
      expect([key, labels, found.map((s) => s.value), found.every((s) => check(s.value))]).toEqual([
        key,
        labels,
        [expect.any(Number)],
        true,
      ]);
    }
}

test('every query of the Grafana dashboard returns the series of the runs', () => {
  expectSeries(dashboard, expectedDashboard(ctx));
  // The variables list the worker's task queue, not the Temporal server's system queues and workers. The server is
  // the test run's shared one: its queues include the other test files' too, but never a system queue.
  for (const q of queries.filter((x) => x.label)) {
    const values = [...new Set(dashboard[q.key]?.map((s) => s.metric[q.label as string]))];
    if (q.label === 'taskqueue') {
      expect([q.key, values]).toEqual([q.key, expect.arrayContaining([ctx.serverQueue])]);
      expect(values.filter((v) => /^temporal_sys/.test(v ?? ''))).toEqual([]);
    } else expect([q.key, values]).toEqual([q.key, [ctx.queue]]);
  }
});

test('the backlog panel showed the eight nodes queueing for two slots', async () => {
  const panel = queries.find((q) => q.key === 'Task queue backlog A') as { expr: string };
  const peak = await prom.query(`max_over_time((${panel.expr})[2m:1s])`);
  const activity = peak.find((s) => matches(s, { taskqueue: ctx.serverQueue, task_type: 'Activity' }));
  expect(activity?.value).toBeGreaterThanOrEqual(2);
});

test('every alert expression returns exactly the series the runs should make alert', () => {
  expectSeries(alerts, expectedAlerts(ctx));
  for (const [alert, want] of Object.entries(expectedAlerts(ctx)))
    expect([alert, alerts[alert]?.length]).toEqual([alert, want.length]);
});

test('Prometheus loaded the rule file: every rule healthy; alerts without `for` firing, the others pending', async () => {
  const loaded = await prom.api<{
    groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }>;
  }>('rules');
  const health = loaded.groups.flatMap((g) => g.rules).map((r) => [r.name, r.health, r.lastError ?? '']);
  expect(health).toEqual(rules.map((r) => [r.alert, 'ok', '']));
  const active = await prom.api<{ alerts: Array<{ labels: Record<string, string>; state: string }> }>('alerts');
  const states = Object.fromEntries(active.alerts.map((a) => [a.labels.alertname, a.state]));
  expect(states).toEqual(Object.fromEntries(rules.map((r) => [r.alert, r.for ? 'pending' : 'firing'])));
});

test('the Temporal metric names the files use are the ones the worker (SDK) and the server export', async () => {
  const names = async (job: string) =>
    new Set((await prom.query(`count by (__name__) ({job="${job}"})`)).map((s) => s.metric.__name__));
  const fromWorker = await names('pipewright-worker');
  for (const m of TEMPORAL_SDK_METRICS)
    expect([m, fromWorker.has(m) || fromWorker.has(`${m}_bucket`)]).toEqual([m, true]);
  const fromServer = await names('temporal');
  for (const m of TEMPORAL_SERVER_METRICS) expect([m, fromServer.has(m)]).toEqual([m, true]);
});

test('the worker stops cleanly at the end', async () => {
  worker?.child.kill('SIGTERM');
  expect(await worker?.exited).toBe(0);
});
