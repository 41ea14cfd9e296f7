/**
 * `onFailure: hold` on the real Temporal server and Postgres: a node that exhausted its retries holds the run
 * (state and search attribute `held`) while independent branches finish; operators retry it (optionally with new
 * params), skip it as skipped or succeeded, or fail the run; `holdTimeout` fails it as fail-fast would; updates that
 * do not apply are refused; a held run survives a SIGKILLed worker.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PipewrightClient } from '../../src/client/client';
import { RunRefusedError } from '../../src/client/errors';
import type { RunStatus } from '../../src/model/state';
import { PIPELINE_STATE } from '../../src/model/search-attributes';
import { createTestData, type TestData } from '../helpers/data';
import { expectLedgerComplete } from '../helpers/ledger';
import { dataWorkerEnv, takeoverWorker } from '../helpers/load-run';
import { nodeOf } from '../helpers/runs';
import { connectHarness, uniqueId, type TemporalHarness } from '../helpers/temporal';
import { spawnWorkerProcess } from '../helpers/worker-process';

let h: TemporalHarness;
let d: TestData;
let pw: PipewrightClient;
let dir: string;
const ROWS = 3_000;

beforeAll(async () => {
  [h, d] = await Promise.all([connectHarness('hold'), createTestData('hold')]);
  await h.startWorker([], { data: d.services });
  pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-hold-'));
  const lines = ['id,name'];
  for (let i = 1; i <= ROWS; i++) lines.push(`${i},name-${i}`);
  fs.writeFileSync(path.join(dir, 'people.csv'), `${lines.join('\n')}\n`);
});
afterAll(async () => {
  await h?.close();
  await d?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const fast = { retry: { maximumAttempts: 2, initialInterval: '100ms' } };

async function until(workflowId: string, ok: (s: RunStatus) => boolean, timeoutMs = 15_000): Promise<RunStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await pw.status(workflowId).catch(() => undefined);
    if (s && ok(s)) return s;
    if (Date.now() > deadline) throw new Error(`condition not met; last status ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** a fails (always) and holds; b needs a; c and d are a branch of their own. */
const branches = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  defaults: { ...fast, onFailure: 'hold', ...extra },
  nodes: [
    { id: 'a', type: 'fail', params: { always: true, message: 'the source is not there yet' } },
    { id: 'b', type: 'noop', needs: ['a'] },
    { id: 'c', type: 'sleep', params: { duration: '200ms' } },
    { id: 'd', type: 'noop', needs: ['c'] },
  ],
});

test('a load into a missing table holds the run; the table is created; retry loads every row once', async () => {
  const table = `${d.schema}.people`;
  const run = await pw.start({
    name: uniqueId('hold-load'),
    defaults: { ...fast, onFailure: 'hold' },
    nodes: [
      { id: 'extract', type: 'source.csv', params: { path: path.join(dir, 'people.csv') } },
      { id: 'load', type: 'sink.postgres', needs: ['extract'], params: { table, batchRows: 1000 } },
    ],
  });
  const held = await until(run.workflowId, (s) => s.state === 'held');
  expect(nodeOf(held, 'load')).toMatchObject({ state: 'held', error: { type: 'TargetTableError' } });
  expect(nodeOf(held, 'extract').state).toBe('held'); // fused with the load: its rows were not kept
  const described = await h.client.workflow.getHandle(run.workflowId).describe();
  expect(described.typedSearchAttributes.get(PIPELINE_STATE)).toBe('held');
  expect((await pw.list({ state: 'held', limit: 50 })).map((r) => r.workflowId)).toContain(run.workflowId);

  await d.pool.query(`CREATE TABLE ${table} (id int, name text)`);
  const retried = await pw.retryNode(run.workflowId, 'load');
  expect(['running', 'completed']).toContain(retried.state);
  const outcome = await pw.result(run.workflowId);
  expect(outcome.outcome).toBe('completed');
  expect(nodeOf(outcome.status!, 'load')).toMatchObject({ state: 'succeeded', executions: 2, attempts: 1 });
  const [count] = await d.rows<{ n: string; ids: string }>(`SELECT count(*) n, count(DISTINCT id) ids FROM ${table}`);
  expect(count).toEqual({ n: String(ROWS), ids: String(ROWS) });
  await expectLedgerComplete(d.pool, d.schema, {
    workflowId: run.workflowId,
    runId: run.runId,
    nodeId: 'load',
    sourceRows: ROWS,
    batchRows: 1000,
    target: table,
  });
});

test('a held node waits while another branch finishes; skip as skipped skips its dependents', async () => {
  const run = await pw.start(branches(uniqueId('hold-branch')));
  const held = await until(run.workflowId, (s) => s.state === 'held' && nodeOf(s, 'd').state === 'succeeded');
  expect(held.nodes.map((n) => [n.id, n.state])).toEqual([
    ['a', 'held'],
    ['b', 'pending'],
    ['c', 'succeeded'],
    ['d', 'succeeded'],
  ]);
  expect(held.counts.held).toBe(1);
  expect(nodeOf(held, 'a')).toMatchObject({
    attempts: 2,
    error: { type: 'IntentionalFailure', message: expect.stringMatching(/the source is not there yet/) },
  });
  await pw.skipNode(run.workflowId, 'a', 'skipped');
  const outcome = await pw.result(run.workflowId);
  expect(outcome.outcome).toBe('completed');
  expect(outcome.status?.nodes.map((n) => n.state)).toEqual(['skipped', 'skipped', 'succeeded', 'succeeded']);
});

test('skip as succeeded lets the dependents run', async () => {
  const run = await pw.start(branches(uniqueId('hold-succeed')));
  await until(run.workflowId, (s) => s.state === 'held');
  const after = await pw.skipNode(run.workflowId, 'a', 'succeeded');
  expect(nodeOf(after, 'a')).toMatchObject({ state: 'succeeded', output: {} });
  const outcome = await pw.result(run.workflowId);
  expect(outcome.outcome).toBe('completed');
  expect(nodeOf(outcome.status!, 'b').state).toBe('succeeded');
});

test('retry with corrected params runs the node as a new execution; a node that fails again holds again', async () => {
  const run = await pw.start(branches(uniqueId('hold-retry')));
  await until(run.workflowId, (s) => s.state === 'held');
  await pw.retryNode(run.workflowId, 'a');
  const again = await until(run.workflowId, (s) => s.state === 'held' && nodeOf(s, 'a').executions === 2);
  expect(nodeOf(again, 'a')).toMatchObject({ state: 'held', attempts: 2 });
  await expect(pw.retryNode(run.workflowId, 'a', { params: { attempts: -1 } })).rejects.toThrow(
    /params of node "a": attempts: /,
  );
  await pw.retryNode(run.workflowId, 'a', { params: { attempts: 0 } });
  const outcome = await pw.result(run.workflowId);
  expect(outcome.outcome).toBe('completed');
  expect(nodeOf(outcome.status!, 'a')).toMatchObject({ state: 'succeeded', executions: 3, attempts: 1 });
});

test('updates that do not apply are refused with the reason; failRun ends a held run as failed', async () => {
  const run = await pw.start(branches(uniqueId('hold-refuse')));
  await until(run.workflowId, (s) => s.state === 'held' && nodeOf(s, 'd').state === 'succeeded');
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (e: unknown) => e,
    );
  const unknown = await refusal(pw.retryNode(run.workflowId, 'ghost'));
  expect(unknown).toBeInstanceOf(RunRefusedError);
  expect(String(unknown)).toMatch(/unknown node "ghost"; the run's nodes are a, b, c, d/);
  expect(String(await refusal(pw.skipNode(run.workflowId, 'c')))).toMatch(/node "c" is succeeded, not held/);
  expect(String(await refusal(pw.retryNode(run.workflowId, 'b')))).toMatch(/node "b" is pending, not held/);
  const failed = await pw.failRun(run.workflowId);
  expect(failed.state).toBe('failed');
  expect(nodeOf(failed, 'a').state).toBe('failed');
  expect((await pw.result(run.workflowId)).outcome).toBe('failed');
  expect(String(await refusal(pw.retryNode(run.workflowId, 'a')))).toMatch(/the run has already ended/);
});

test('holdTimeout fails a held run as fail-fast would', async () => {
  const started = Date.now();
  const run = await pw.start(branches(uniqueId('hold-timeout'), { holdTimeout: '1500ms' }));
  const outcome = await pw.result(run.workflowId);
  expect(outcome.outcome).toBe('failed');
  expect(outcome.message).toMatch(/a: IntentionalFailure: the source is not there yet/);
  expect(nodeOf(outcome.status!, 'a').state).toBe('failed');
  expect(nodeOf(outcome.status!, 'b').state).toBe('skipped');
  expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
});

test('a held run survives a SIGKILLed worker and is retried on another', async () => {
  const queue = `${h.taskQueue}-kill`;
  const doomed = spawnWorkerProcess(h.address, queue, dataWorkerEnv(d));
  await doomed.ready;
  const run = await pw.start(branches(uniqueId('hold-kill')), { taskQueue: queue });
  await until(run.workflowId, (s) => s.state === 'held' && nodeOf(s, 'd').state === 'succeeded', 30_000);
  doomed.child.kill('SIGKILL');
  await doomed.exited;
  const replacement = await takeoverWorker(h, queue, d);
  await replacement.runUntil(async () => {
    // The first task after the kill waits out the dead worker's sticky queue (about 10 s) before it moves on.
    expect((await pw.status(run.workflowId, { timeoutMs: 30_000 })).state).toBe('held');
    await pw.retryNode(run.workflowId, 'a', { params: { attempts: 0 } });
    const outcome = await pw.result(run.workflowId);
    expect(outcome.outcome).toBe('completed');
    expect(outcome.status?.nodes.map((n) => n.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });
}, 60_000);

test('a data node after a node skipped as succeeded finds no dataset, and says so', async () => {
  const run = await pw.start({
    name: uniqueId('hold-nodata'),
    defaults: { ...fast, onFailure: 'hold' },
    nodes: [
      { id: 'extract', type: 'source.csv', params: { path: path.join(dir, 'missing.csv') } },
      { id: 'keep', type: 'transform.filter', needs: ['extract'], fuse: false, params: { where: 'true' } },
    ],
  });
  const held = await until(run.workflowId, (s) => s.state === 'held');
  expect(nodeOf(held, 'extract')).toMatchObject({ state: 'held', error: { type: 'InputFileError' } });
  await pw.skipNode(run.workflowId, 'extract', 'succeeded');
  const after = await until(run.workflowId, (s) => nodeOf(s, 'keep').state === 'held');
  expect(nodeOf(after, 'keep').error).toMatchObject({
    type: 'InputDatasetError',
    message: expect.stringMatching(/input node "extract" produced no dataset/),
  });
  await pw.failRun(run.workflowId);
});
