/**
 * The worker process serves /healthz, /readyz (ready only once polling) and /metrics with pipewright's metrics
 * (non-zero where work was done) followed by the Temporal SDK's own.
 */
import path from 'node:path';
import { loadDefinitionFile } from '../../src/definition/load';
import { ROOT } from '../helpers/paths';
import { startPipeline } from '../helpers/runs';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness } from '../helpers/temporal';
import { freePort, spawnWorkerProcess } from '../helpers/worker-process';

let h: TemporalHarness;
beforeAll(async () => {
  h = await connectHarness('metrics');
});
afterAll(() => h.close());

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
  const { body } = await get(`${base}/metrics`);
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);

  expect(sample(body, 'pipewright_pipeline_runs_total', 'pipeline="fanout-demo",outcome="completed"')).toBe(1);
  expect(
    sample(body, 'pipewright_pipeline_run_duration_seconds_count', 'pipeline="fanout-demo",outcome="completed"'),
  ).toBe(1);
  expect(sample(body, 'pipewright_node_duration_seconds_count', 'node_type="sleep",outcome="succeeded"')).toBe(6);
  expect(sample(body, 'pipewright_node_duration_seconds_count', 'node_type="fail",outcome="failed"')).toBe(1);
  expect(body).toMatch(/^pipewright_activities_in_flight 0$/m);
  expect(body).toMatch(/^pipewright_worker_ready 1$/m);
  // The cache's metrics (the shared Redis, under this worker's own prefix).
  expect(body).toMatch(/^pipewright_cache_l2_available 1$/m);
  expect(body).toContain('# TYPE pipewright_cache_requests_total counter');
  expect(body).toMatch(/^pipewright_process_resident_memory_bytes \d+/m);
  // The Temporal SDK's own metrics, e.g. task slots and schedule-to-start latency.
  expect(body).toMatch(/^temporal_worker_task_slots_available\{/m);
  expect(body).toMatch(/temporal_activity_schedule_to_start_latency/);
}, 90_000);
