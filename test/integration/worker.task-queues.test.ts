/**
 * Per-node task queues on the real Temporal server: a node with `taskQueue` runs on a worker polling that queue (a
 * worker process serving it through PIPEWRIGHT_TASK_QUEUES), the others on the run's own worker; the history's
 * ActivityTaskStarted identity says which worker ran each node.
 */
import { createTestData, type TestData } from '../helpers/data';
import { dataWorkerEnv } from '../helpers/load-run';
import { startPipeline } from '../helpers/runs';
import { connectHarness, type TemporalHarness } from '../helpers/temporal';
import { NativeConnection } from '@temporalio/worker';
import { setTimeout as sleep } from 'node:timers/promises';
import { statusQuery } from '../../src/engine/messages';
import { createPipewrightWorker } from '../../worker/create-worker';
import { spawnWorkerProcess } from '../helpers/worker-process';

let h: TemporalHarness;
let d: TestData;
beforeAll(async () => {
  [h, d] = await Promise.all([connectHarness('queues'), createTestData('queues')]);
  await h.startWorker([], { data: d.services });
});
afterAll(async () => {
  await h?.close();
  await d?.drop();
});

test('a node with a taskQueue runs on the worker of that queue; the rest on the run’s worker', async () => {
  const heavy = `${h.taskQueue}-heavy`;
  const other = spawnWorkerProcess(h.address, `${h.taskQueue}-unused`, {
    ...dataWorkerEnv(d),
    PIPEWRIGHT_TASK_QUEUES: heavy,
  });
  try {
    await other.ready;
    expect(other.output()).toMatch(new RegExp(`and nodes of "${heavy}"`));
    const handle = await startPipeline(h.client, h.taskQueue, {
      name: 'routed',
      nodes: [
        { id: 'light', type: 'noop' },
        { id: 'big', type: 'sleep', needs: ['light'], taskQueue: heavy, params: { duration: '50ms' } },
        { id: 'after', type: 'noop', needs: ['big'] },
      ],
    });
    const { status } = (await handle.result()) as { status: { state: string } };
    expect(status.state).toBe('completed');
    const history = await handle.fetchHistory();
    const scheduled = new Map<number, { activityId: string; queue: string }>();
    const ranOn = new Map<string, string>();
    for (const e of history.events ?? []) {
      const s = e.activityTaskScheduledEventAttributes;
      if (s) scheduled.set(Number(e.eventId), { activityId: s.activityId ?? '', queue: s.taskQueue?.name ?? '' });
      const started = e.activityTaskStartedEventAttributes;
      if (started) ranOn.set(scheduled.get(Number(started.scheduledEventId))?.activityId ?? '', started.identity ?? '');
    }
    expect([...scheduled.values()].find((s) => s.activityId === 'big')?.queue).toBe(heavy);
    expect(ranOn.get('big')).toMatch(new RegExp(`^${other.child.pid}@`));
    expect(ranOn.get('light')).toMatch(new RegExp(`^${process.pid}@`));
    expect(ranOn.get('after')).toMatch(new RegExp(`^${process.pid}@`));
  } finally {
    other.child.kill('SIGTERM');
    await other.exited;
  }
}, 60_000);

test('a node waiting on a queue no worker polls is reported as such within 10 s, by the client and `status`', async () => {
  const nobody = `${h.taskQueue}-nobody`;
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'stranded',
    nodes: [{ id: 'lost', type: 'noop', taskQueue: nobody }],
  });
  const { PipewrightClient } = await import('../../src/client/client');
  const pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
  const started = Date.now();
  let waiting = await pw.unpolledNodes(handle.workflowId);
  while (waiting.length === 0 && Date.now() - started < 10_000) {
    await new Promise((r) => setTimeout(r, 200));
    waiting = await pw.unpolledNodes(handle.workflowId);
  }
  expect(waiting).toEqual([expect.objectContaining({ activityId: 'lost', taskQueue: nobody })]);
  expect(Date.now() - started).toBeLessThan(10_000);

  const { runCli } = await import('../../src/cli/cli');
  const err: string[] = [];
  const out: string[] = [];
  await runCli(
    ['node', 'pipewright', 'status', handle.workflowId],
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    { ...process.env, TEMPORAL_ADDRESS: h.address, PIPEWRIGHT_TASK_QUEUE: h.taskQueue },
  );
  expect(out.join('\n')).toMatch(/lost +running/);
  expect(err.join('\n')).toMatch(
    new RegExp(`lost waits on task queue "${nobody}", which no worker polls .*PIPEWRIGHT_TASK_QUEUES=${nobody}`),
  );
  await handle.cancel();
}, 60_000);

test('the run itself says so too: the status query and the Web UI current details, within 10 s; cleared once a worker picks it up', async () => {
  const queue = `${h.taskQueue}-later`;
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'stranded-then-served',
    nodes: [{ id: 'late', type: 'sleep', taskQueue: queue, params: { duration: '15s' } }],
  });
  const started = Date.now();
  const waitingFor = async () => (await handle.query(statusQuery)).nodes[0]?.waitingForWorker;
  while ((await waitingFor()) === undefined && Date.now() - started < 10_000) await sleep(200);
  expect(await waitingFor()).toBe(queue);
  expect(Date.now() - started).toBeLessThan(10_000);
  const details = async () =>
    ((await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string }).currentDetails ?? '';
  expect(await details()).toContain(`waiting for a worker: \`late\` on task queue \`${queue}\` since `);

  // A worker for the queue comes: it picks the node up, and the run stops saying it waits.
  const connection = await NativeConnection.connect({ address: h.address });
  const worker = await createPipewrightWorker({
    connection,
    taskQueue: queue,
    activitiesOnly: true,
    data: d.services,
  });
  const running = worker.run();
  try {
    const served = Date.now();
    while ((await waitingFor()) !== undefined && Date.now() - served < 14_000) await sleep(200);
    const status = await handle.query(statusQuery);
    expect(status.nodes[0]).toMatchObject({ state: 'running' });
    expect(status.nodes[0]?.waitingForWorker).toBeUndefined();
    expect(await details()).not.toContain('waiting for a worker');
    const { status: final } = await handle.result();
    expect(final.nodes[0]).toMatchObject({ state: 'succeeded', attempts: 1 });
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
}, 60_000);

test('validate --check-workers warns about a node queue no worker polls, before anything starts', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pw-queues-')), 'routed.json');
  const nobody = `${h.taskQueue}-nobody-yet`;
  fs.writeFileSync(
    file,
    JSON.stringify({
      name: 'routed',
      nodes: [
        { id: 'here', type: 'noop' },
        { id: 'there', type: 'noop', taskQueue: nobody },
      ],
    }),
  );
  const { runCli } = await import('../../src/cli/cli');
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    ['node', 'pipewright', 'validate', file, '--check-workers'],
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    { ...process.env, TEMPORAL_ADDRESS: h.address, PIPEWRIGHT_TASK_QUEUE: h.taskQueue },
  );
  expect(code).toBe(0);
  expect(out.join('\n')).toMatch(/routed@1 is valid \(2 nodes\)/);
  expect(err).toEqual([
    `warning: no worker polls task queue "${nobody}" for nodes there; start one with PIPEWRIGHT_TASK_QUEUES=${nobody} pipewright worker`,
  ]);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});
