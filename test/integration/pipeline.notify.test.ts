/**
 * `notify` on the real Temporal server and Postgres, against a webhook server of the test's own on 127.0.0.1: a run's
 * events (failed, completed, a node's rejects over the limit, held) are POSTed once each with their document; a
 * webhook that fails is retried with backoff and still receives the event once; a webhook that cannot be reached or
 * is not configured never fails the run; a worker SIGKILLed while a run is held sends nothing twice.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PipewrightClient } from '../../src/client/client';
import type { NotificationDocument } from '../../src/model/notify';
import type { RunStatus } from '../../src/model/state';
import { createTestData, type TestData } from '../helpers/data';
import { dataWorkerEnv } from '../helpers/load-run';
import { connectHarness, uniqueId, type TemporalHarness } from '../helpers/temporal';
import { spawnWorkerProcess } from '../helpers/worker-process';

interface Received {
  readonly path: string;
  readonly idempotencyKey: string;
  readonly document: NotificationDocument;
}

let h: TemporalHarness;
let d: TestData;
let pw: PipewrightClient;
let dir: string;
let server: http.Server;
let base: string;
const received: Received[] = [];
/** Paths whose next answers are these statuses (then 204). */
const failuresFor = new Map<string, number[]>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      const planned = failuresFor.get(path)?.shift();
      if (planned !== undefined) {
        res.writeHead(planned).end();
        return;
      }
      received.push({
        path,
        idempotencyKey: String(req.headers['idempotency-key']),
        document: JSON.parse(body) as NotificationDocument,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  [h, d] = await Promise.all([connectHarness('notify'), createTestData('notify')]);
  await h.startWorker([], {
    data: d.services,
    notify: {
      webhooks: { '': `${base}/hook`, ops: `${base}/ops`, down: 'http://127.0.0.1:9/' },
      uiBase: 'http://ui.test',
    },
  });
  pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-notify-'));
});
afterAll(async () => {
  await h?.close();
  await d?.drop();
  await new Promise((resolve) => server?.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

const of = (workflowId: string) => received.filter((r) => r.document.workflowId === workflowId);
const fast = { retry: { maximumAttempts: 1 } };

async function until(ok: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a failed run POSTs one "failed" document: pipeline, run, Web UI link, failed nodes with errors, counts', async () => {
  const run = await pw.start({
    name: uniqueId('notify-failed'),
    defaults: fast,
    notify: { on: ['failed', 'completed'] },
    nodes: [
      { id: 'ok', type: 'noop' },
      {
        id: 'boom',
        type: 'fail',
        needs: ['ok'],
        params: { always: true, retryable: false, message: 'the file is bad' },
      },
    ],
  });
  expect((await pw.result(run.workflowId)).outcome).toBe('failed');
  const sent = of(run.workflowId);
  expect(sent).toHaveLength(1);
  const [{ document, idempotencyKey, path: hookPath }] = sent as [Received];
  expect(hookPath).toBe('/hook');
  expect(idempotencyKey).toBe(`${run.workflowId}/${run.runId}/0:failed`);
  expect(document).toMatchObject({
    event: 'failed',
    pipeline: { name: run.pipeline.name, version: '1' },
    workflowId: run.workflowId,
    runId: run.runId,
    url: `http://ui.test/namespaces/default/workflows/${encodeURIComponent(run.workflowId)}`,
    state: 'failed',
    failedNodes: [
      {
        id: 'boom',
        type: 'fail',
        state: 'failed',
        error: { type: 'IntentionalFailure', message: expect.stringContaining('the file is bad') },
      },
    ],
    counts: expect.objectContaining({ succeeded: 1, failed: 1 }),
  });
});

test('a load with rejects over the limit sends "rejects" once, then "completed" with the row counts, to a named webhook', async () => {
  const file = path.join(dir, 'people.csv');
  fs.writeFileSync(file, 'id,n\n1,1\n2,x\n3,3\n4,y\n5,5\n');
  const run = await pw.start({
    name: uniqueId('notify-rejects'),
    notify: [
      { on: ['rejects'], rejectsOver: 1, webhook: 'ops' },
      { on: ['completed'], webhook: 'OPS' },
    ],
    nodes: [
      {
        id: 'read',
        type: 'source.csv',
        params: {
          path: file,
          columns: [
            { name: 'id', type: 'int' },
            { name: 'n', type: 'int' },
          ],
          maxRejects: 10,
        },
      },
      {
        id: 'load',
        type: 'sink.postgres',
        needs: ['read'],
        params: { table: `${d.schema}.people`, createTable: true },
      },
    ],
  });
  expect((await pw.result(run.workflowId)).outcome).toBe('completed');
  const sent = of(run.workflowId);
  expect(sent.map((r) => [r.path, r.document.event, r.document.node?.id])).toEqual([
    ['/ops', 'rejects', 'read'],
    ['/ops', 'completed', undefined],
  ]);
  expect(sent[0]?.document.node?.rows).toMatchObject({ rowsRejected: 2 });
  expect(sent[1]?.document.rows.find((n) => n.id === 'load')?.rows).toMatchObject({ rowsWritten: 3 });
});

test('a webhook that answers 503 is retried with backoff and receives the event once; an unknown one never fails the run', async () => {
  const run = await pw.start({
    name: uniqueId('notify-retry'),
    notify: { on: ['completed'] },
    nodes: [{ id: 'a', type: 'noop' }],
  });
  failuresFor.set('/hook', [503, 503]);
  expect((await pw.result(run.workflowId)).outcome).toBe('completed');
  expect(of(run.workflowId).map((r) => r.document.event)).toEqual(['completed']);
  expect(failuresFor.get('/hook')).toEqual([]);
  const history = await h.client.workflow.getHandle(run.workflowId).fetchHistory();
  const started = (history.events ?? []).find(
    (e) => e.activityTaskStartedEventAttributes && e.activityTaskStartedEventAttributes.attempt === 3,
  );
  expect(started).toBeDefined(); // the third attempt delivered it

  for (const webhook of ['nope']) {
    const other = await pw.start({
      name: uniqueId(`notify-${webhook}`),
      notify: { on: ['completed'], webhook },
      nodes: [{ id: 'a', type: 'noop' }],
    });
    const outcome = await pw.result(other.workflowId);
    expect(outcome.outcome).toBe('completed');
  }
}, 60_000);

test('held, then a worker SIGKILLed and another one: "held" and "completed" are each sent exactly once', async () => {
  const queue = uniqueId('tq-notify-kill');
  const env = { ...dataWorkerEnv(d), PIPEWRIGHT_NOTIFY_WEBHOOK: `${base}/hook` };
  const first = spawnWorkerProcess(h.address, queue, env);
  await first.ready;
  const handle = await h.client.workflow.start('pipeline', {
    taskQueue: queue,
    workflowId: uniqueId('notify-held'),
    args: [
      {
        definition: {
          name: 'notify-held',
          defaults: { onFailure: 'hold', retry: { maximumAttempts: 1 } },
          notify: { on: ['held', 'completed'] },
          nodes: [
            { id: 'a', type: 'fail', params: { always: true, message: 'not yet' } },
            { id: 'b', type: 'noop', needs: ['a'] },
          ],
        },
      },
    ],
  });
  const ids = handle.workflowId;
  await until(() => of(ids).length === 1, 'the held notification');
  // Killed once the notification's activity has completed: the next worker replays it and must not send it again.
  const notified = async () =>
    ((await handle.fetchHistory()).events ?? []).some((e) => e.activityTaskCompletedEventAttributes);
  const deadline = Date.now() + 10_000;
  while (!(await notified()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  first.child.kill('SIGKILL');
  await first.exited;
  const second = spawnWorkerProcess(h.address, queue, env);
  try {
    await second.ready;
    const queued = new PipewrightClient(h.client, { taskQueue: queue });
    await queued.retryNode(ids, 'a', { params: { attempts: 0 } });
    const { status } = (await handle.result()) as { status: RunStatus };
    expect(status.state).toBe('completed');
    await new Promise((r) => setTimeout(r, 500));
    expect(of(ids).map((r) => [r.document.event, r.document.node?.id])).toEqual([
      ['held', 'a'],
      ['completed', undefined],
    ]);
    expect(of(ids)[0]?.document.failedNodes).toEqual([
      expect.objectContaining({
        id: 'a',
        state: 'held',
        error: expect.objectContaining({ message: expect.stringContaining('not yet') }),
      }),
    ]);
    // The ledger of what was sent: one row per event.
    const { rows } = await d.pool.query(
      `SELECT event, status FROM "${d.schema}".notifications_sent WHERE workflow_id = $1 ORDER BY sent_at`,
      [ids],
    );
    expect(rows).toEqual([
      { event: 'held', status: 204 },
      { event: 'completed', status: 204 },
    ]);
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }
}, 90_000);
