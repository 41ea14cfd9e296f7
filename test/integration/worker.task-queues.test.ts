/**
 * Per-node task queues on the real Temporal server: a node with `taskQueue` runs on a worker polling that queue (a
 * worker process serving it through PIPEWRIGHT_TASK_QUEUES), the others on the run's own worker; the history's
 * ActivityTaskStarted identity says which worker ran each node.
 */
import { createTestData, type TestData } from '../helpers/data';
import { dataWorkerEnv } from '../helpers/load-run';
import { startPipeline } from '../helpers/runs';
import { connectHarness, type TemporalHarness } from '../helpers/temporal';
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
