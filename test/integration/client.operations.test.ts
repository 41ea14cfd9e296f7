/** The typed client against a real Temporal server: start, status, result, watch, pause, resume, cancel, list. */
import { PipewrightClient } from '../../src/client/client';
import { RunNotFoundError, RunRefusedError } from '../../src/client/errors';
import { InvalidDefinitionError } from '../../src/model/errors';
import type { RunStatus } from '../../src/model/state';
import { nodeOf } from '../helpers/runs';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness, uniqueId } from '../helpers/temporal';

let h: TemporalHarness;
let pw: PipewrightClient;
beforeAll(async () => {
  h = await connectHarness('client');
  await h.startWorker();
  pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
});
afterAll(() => h.close());

const chain = (name: string, firstMs: number) => ({
  name,
  defaults: { heartbeatTimeout: '5s' },
  nodes: [
    { id: 'a', type: 'sleep', params: { duration: `${firstMs}ms` } },
    { id: 'b', type: 'sleep', needs: ['a'], params: { duration: '200ms' } },
  ],
});

async function until(workflowId: string, predicate: (s: RunStatus) => boolean, timeoutMs = 10_000): Promise<RunStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await pw.status(workflowId).catch(() => undefined);
    if (s && predicate(s)) return s;
    if (Date.now() > deadline) throw new Error(`condition not met; last status ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('start gives a readable workflow id, sets the UI summary, and result reports the completed run', async () => {
  const runKey = uniqueId('key');
  const run = await pw.start(chain('client-ops', 200), { runKey });
  expect(run).toMatchObject({ workflowId: `client-ops--${runKey}`, existing: false, runKey });
  expect(run.runId).toMatch(/\S/);
  const description = await h.client.workflow.getHandle(run.workflowId).describe();
  expect(await description.staticSummary()).toBe('client-ops@1: 2 nodes');
  expect(await description.staticDetails()).toContain('`a`');
  const status = await pw.status(run.workflowId);
  expect(status.pipeline).toEqual({ name: 'client-ops', version: '1' });
  const outcome = await pw.result(run.workflowId);
  expect(outcome.outcome).toBe('completed');
  expect(outcome.status?.counts.succeeded).toBe(2);
});

test('the default run key is a UTC timestamp with a random suffix', async () => {
  const before = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const run = await pw.start(chain('client-key', 100));
  expect(run.workflowId).toMatch(/^client-key--\d{8}-\d{6}-[0-9a-f]{4}$/);
  expect(run.runKey.slice(0, 8) >= before).toBe(true);
  await pw.result(run.workflowId);
});

test('watch hands over statuses until the run closes and resolves to the outcome', async () => {
  const run = await pw.start(chain('client-watch', 300), { runKey: uniqueId('key') });
  const seen: RunStatus[] = [];
  const outcome = await pw.watch(run.workflowId, (s) => seen.push(s), { intervalMs: 50 });
  expect(outcome?.outcome).toBe('completed');
  expect(seen.some((s) => nodeOf(s, 'a').state === 'running')).toBe(true);
  expect(seen.at(-1)?.state).toBe('completed');
});

test('pause (drain) and resume go through the update and return the status once they took effect', async () => {
  const run = await pw.start(chain('client-pause', 800), { runKey: uniqueId('key') });
  await until(run.workflowId, (s) => nodeOf(s, 'a').state === 'running');
  const paused = await pw.pause(run.workflowId);
  expect(paused).toMatchObject({ state: 'paused', paused: true, pauseMode: 'drain' });
  const drained = await until(run.workflowId, (s) => nodeOf(s, 'a').state === 'succeeded');
  expect(nodeOf(drained, 'b').state).toBe('pending');
  const resumed = await pw.resume(run.workflowId);
  expect(resumed).toMatchObject({ state: 'running', paused: false });
  expect((await pw.result(run.workflowId)).outcome).toBe('completed');
});

test('pause immediate cancels running nodes before it returns; resume completes the run', async () => {
  const run = await pw.start(chain('client-pause', 1_500), { runKey: uniqueId('key') });
  await until(run.workflowId, (s) => nodeOf(s, 'a').state === 'running');
  const paused = await pw.pause(run.workflowId, { mode: 'immediate' });
  expect(paused).toMatchObject({ state: 'paused', pauseMode: 'immediate' });
  expect(paused.counts.running).toBe(0);
  await pw.resume(run.workflowId);
  const outcome = await pw.result(run.workflowId);
  expect(outcome.outcome).toBe('completed');
  expect(nodeOf(outcome.status!, 'a').executions).toBe(2);
});

test('a pause of an ended run is refused with a clear reason', async () => {
  const run = await pw.start(chain('client-ended', 50), { runKey: uniqueId('key') });
  await pw.result(run.workflowId);
  await expect(pw.pause(run.workflowId)).rejects.toThrow(RunRefusedError);
  await expect(pw.pause(run.workflowId)).rejects.toThrow(/already ended/);
});

test('cancel closes the run as cancelled, its running node cancelled', async () => {
  const run = await pw.start(chain('client-cancel', 5_000), { runKey: uniqueId('key') });
  await until(run.workflowId, (s) => nodeOf(s, 'a').state === 'running');
  await pw.cancel(run.workflowId);
  const outcome = await pw.result(run.workflowId);
  expect(outcome.outcome).toBe('cancelled');
  expect(nodeOf(outcome.status!, 'a').state).toBe('cancelled');
  expect(nodeOf(outcome.status!, 'b').state).toBe('cancelled');
});

test('list finds runs by pipeline and by state, paused included', async () => {
  const pipeline = uniqueId('list').replace(/-/g, '_');
  const quick = await pw.start({ name: pipeline, nodes: [{ id: 'n', type: 'noop' }] }, { runKey: 'quick' });
  await pw.result(quick.workflowId);
  const slow = await pw.start(chain(pipeline, 5_000), { runKey: 'slow' });
  await until(slow.workflowId, (s) => nodeOf(s, 'a').state === 'running');

  const all = await eventually(
    () => pw.list({ pipeline }),
    (r) => r.length === 2,
  );
  expect(all.map((r) => r.workflowId).sort()).toEqual([quick.workflowId, slow.workflowId].sort());
  expect(all.find((r) => r.workflowId === slow.workflowId)).toMatchObject({
    pipeline,
    version: '1',
    runKey: 'slow',
    executionState: 'running',
    taskQueue: h.taskQueue,
  });
  const completed = await eventually(
    () => pw.list({ pipeline, state: 'completed' }),
    (r) => r.length === 1,
  );
  expect(completed.map((r) => r.workflowId)).toEqual([quick.workflowId]);
  const running = await pw.list({ pipeline, state: 'running' });
  expect(running.map((r) => r.workflowId)).toEqual([slow.workflowId]);
  expect(await pw.list({ pipeline, state: 'paused' })).toEqual([]);

  await pw.pause(slow.workflowId);
  // The tests' server has the search attributes: visibility itself answers `paused` (the fallback that asks each
  // run is covered in pipeline.search-attributes.test.ts).
  const paused = await eventually(
    () => pw.list({ pipeline, state: 'paused' }),
    (r) => r.length === 1,
  );
  expect(paused.map((r) => r.workflowId)).toEqual([slow.workflowId]);
  expect(paused[0]?.pipelineState).toBe('paused');
  expect(await pw.list({ pipeline, limit: 1 })).toHaveLength(1);
  await pw.cancel(slow.workflowId);
  expect((await pw.result(slow.workflowId)).outcome).toBe('cancelled');
});

test('an invalid definition throws with every problem and starts nothing', async () => {
  const runKey = uniqueId('key');
  const bad = {
    name: 'client-bad',
    nodes: [
      { id: 'a', type: 'sleep', params: {} },
      { id: 'a', type: 'nope', needs: ['ghost'] },
    ],
  };
  const err = await pw.start(bad, { runKey }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidDefinitionError);
  const paths = (err as InvalidDefinitionError).problems.map((p) => p.path);
  expect(paths).toEqual(
    expect.arrayContaining(['nodes[0].params.duration', 'nodes[1].id', 'nodes[1].type', 'nodes[1].needs[0]']),
  );
  expect((err as Error).message).toContain('nodes[1].needs[0]');
  await expect(pw.describe(`client-bad--${runKey}`)).rejects.toThrow(RunNotFoundError);
});

test('status of an unknown run says there is no such run', async () => {
  await expect(pw.status(uniqueId('nobody'))).rejects.toThrow(RunNotFoundError);
});
