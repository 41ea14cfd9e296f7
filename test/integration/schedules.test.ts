/**
 * Schedules on the real Temporal dev server (its Temporal Schedules) with a real worker: fires every 2 s whose runs
 * render their own scheduled time, overlap policies, pause and unpause, trigger, update, delete, refusals before
 * anything is created, and a schedule by `name@latest` that picks up a newly published version at its next fire.
 */
import { PipewrightClient } from '../../src/client/client';
import { InvalidOptionError } from '../../src/client/errors';
import { ScheduleMissingError, type ScheduleView } from '../../src/client/schedules';
import { InvalidDefinitionError } from '../../src/model/errors';
import { createCache, type TwoLevelCache } from '../../src/platform/cache';
import { createDefinitionRegistry, type DefinitionRegistry } from '../../src/platform/registry';
import { TEMPORAL_SCHEDULED_START_TIME } from '../../src/model/search-attributes';
import { createTestData, type TestData } from '../helpers/data';
import { nodeOf } from '../helpers/runs';
import { dropPrefix, SHARED_REDIS_URL, testPrefix } from '../helpers/redis';
import { connectHarness, uniqueId, type TemporalHarness } from '../helpers/temporal';

const prefix = testPrefix('schedules');
const quiet = { warn: () => undefined, info: () => undefined };
let h: TemporalHarness;
let db: TestData;
let pw: PipewrightClient;
let workerCache: TwoLevelCache;
let publisherCache: TwoLevelCache;
let registry: DefinitionRegistry;
const created: string[] = [];

beforeAll(async () => {
  workerCache = createCache({ redisUrl: SHARED_REDIS_URL, prefix, log: quiet });
  publisherCache = createCache({ redisUrl: SHARED_REDIS_URL, prefix, log: quiet });
  await workerCache.connect();
  await publisherCache.connect();
  db = await createTestData('schedules', {}, { cache: workerCache });
  registry = createDefinitionRegistry({ pool: db.pool, schema: db.schema, cache: publisherCache });
  h = await connectHarness('schedules');
  await h.startWorker([], { data: db.services });
  pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
});
afterAll(async () => {
  for (const id of created) await pw.schedules.delete(id).catch(() => undefined);
  await h?.close();
  await db?.drop();
  await workerCache?.close();
  await publisherCache?.close();
  await dropPrefix(prefix);
});

const scheduleId = (what: string): string => {
  const id = uniqueId(`sch-${what}`);
  created.push(id);
  return id;
};

/** A run that echoes its logical date and a param into its node's rendered params. */
const echo = (name: string, sleep = '10ms') => ({
  name,
  params: { label: { type: 'string', default: 'first' } },
  nodes: [
    { id: 'wait', type: 'sleep', params: { duration: sleep } },
    {
      id: 'echo',
      type: 'fail',
      needs: ['wait'],
      params: { attempts: 0, message: '{{ params.label }} {{ run.logicalDate }}' },
    },
  ],
});

async function until(id: string, ok: (v: ScheduleView) => boolean, timeoutMs = 20_000): Promise<ScheduleView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await pw.schedules.describe(id);
    if (ok(view)) return view;
    if (Date.now() > deadline) throw new Error(`schedule ${id}: condition not met; last ${JSON.stringify(view)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const finished = (v: ScheduleView): number => v.recentRuns.filter((r) => r.state === 'completed').length;

test('a schedule every 2 s starts runs whose templates render their own scheduled time', async () => {
  const id = scheduleId('every');
  const view = await pw.schedules.create({ scheduleId: id, definition: echo(uniqueId('every')), every: '2s' });
  expect(view).toMatchObject({ scheduleId: id, paused: false, timing: { every: '2s', overlap: 'skip' } });
  expect(view.nextFires).toHaveLength(5);
  expect(view.nextFires[1]!.getTime() - view.nextFires[0]!.getTime()).toBe(2000);
  const done = await until(id, (v) => finished(v) >= 2);
  for (const run of done.recentRuns.filter((r) => r.state === 'completed')) {
    const status = await pw.status(run.workflowId);
    expect(status.logicalDate).toBe(run.scheduledAt.toISOString());
    expect(nodeOf(status, 'echo').params?.message).toBe(`first ${run.scheduledAt.toISOString()}`);
    const described = await h.client.workflow.getHandle(run.workflowId).describe();
    expect(described.typedSearchAttributes.get(TEMPORAL_SCHEDULED_START_TIME)?.toISOString()).toBe(
      run.scheduledAt.toISOString(),
    );
    expect(described.memo).toMatchObject({ schedule: id });
    expect(run.workflowId.startsWith(`${status.pipeline.name}--${id}-`)).toBe(true);
  }
  const listed = await pw.list({ schedule: id, limit: 50 });
  expect(listed.length).toBeGreaterThanOrEqual(2);
  expect(listed.every((r) => r.workflowId.includes(`--${id}-`))).toBe(true);
  await pw.schedules.delete(id);
  await expect(pw.schedules.describe(id)).rejects.toBeInstanceOf(ScheduleMissingError);
});

test('overlap skip drops fires while a slow run runs; buffer-one runs one of them after it', async () => {
  const skip = scheduleId('skip');
  const buffer = scheduleId('buffer');
  await pw.schedules.create({ scheduleId: skip, definition: echo(uniqueId('skip'), '4500ms'), every: '2s' });
  await pw.schedules.create({
    scheduleId: buffer,
    definition: echo(uniqueId('buffer'), '4500ms'),
    every: '2s',
    overlap: 'buffer-one',
  });
  const skipped = await until(skip, (v) => finished(v) >= 1 && v.skippedOverlap >= 1, 30_000);
  // Skipped fires never run: every run started when it was meant to.
  for (const r of skipped.recentRuns) expect(r.startedAt.getTime() - r.scheduledAt.getTime()).toBeLessThan(1000);
  const buffered = await until(buffer, (v) => v.recentRuns.length >= 2, 30_000);
  // The buffered fire waited for the run before it, then ran.
  const late = buffered.recentRuns.filter((r) => r.startedAt.getTime() - r.scheduledAt.getTime() >= 1000);
  expect(late.length).toBeGreaterThanOrEqual(1);
  expect(buffered.timing.overlap).toBe('buffer-one');
  await pw.schedules.delete(skip);
  await pw.schedules.delete(buffer);
}, 60_000);

test('paused, a schedule starts nothing; trigger starts a run now; unpause resumes the fires; update changes them', async () => {
  const id = scheduleId('pause');
  const created = await pw.schedules.create({
    scheduleId: id,
    definition: echo(uniqueId('pause')),
    every: '2s',
    paused: true,
    note: 'waiting for the source system',
  });
  expect(created).toMatchObject({ paused: true, note: 'waiting for the source system' });
  await new Promise((r) => setTimeout(r, 3000));
  expect((await pw.schedules.describe(id)).recentRuns).toHaveLength(0);

  await pw.schedules.trigger(id);
  const triggered = await until(id, (v) => finished(v) >= 1);
  expect(triggered.recentRuns).toHaveLength(1);
  expect(triggered.paused).toBe(true);

  const unpaused = await pw.schedules.unpause(id, 'source is back');
  expect(unpaused).toMatchObject({ paused: false, note: 'source is back' });
  await until(id, (v) => finished(v) >= 2);

  await pw.schedules.pause(id, 'maintenance');
  const updated = await pw.schedules.update(id, { params: { label: 'second' }, every: '3s' });
  expect(updated.timing.every).toBe('3s');
  expect(updated.params).toEqual({ label: 'second' });
  expect(updated.paused).toBe(true);
  await pw.schedules.trigger(id);
  const after = await until(id, (v) => finished(v) >= 3);
  const status = await pw.status(after.recentRuns[0]!.workflowId);
  expect(nodeOf(status, 'echo').params?.message).toMatch(/^second /);
  await pw.schedules.delete(id);
}, 60_000);

test('an invalid definition, a bad cron field, an unknown time zone or a param that does not fit creates nothing', async () => {
  const id = scheduleId('refused');
  const refused = async (extra: object): Promise<unknown> =>
    pw.schedules.create({ scheduleId: id, definition: echo('refused'), every: '1h', ...extra }).then(
      () => undefined,
      (e: unknown) => e,
    );
  const cron = await refused({ every: undefined, cron: '0 25 * * *' });
  expect(cron).toBeInstanceOf(InvalidOptionError);
  expect((cron as Error).message).toMatch(/--cron: cron "0 25 \* \* \*": hour field "25": "25" is out of range 0-23/);
  expect(String(await refused({ timezone: 'Mars/Olympus' }))).toMatch(/--timezone: unknown time zone "Mars\/Olympus"/);
  expect(String(await refused({ params: { label: 1, extra: 'x' } }))).toMatch(/params\.extra: unknown param "extra"/);
  const bad = await pw.schedules
    .create({ scheduleId: id, definition: { name: 'x', nodes: [{ id: 'a', type: 'sleep' }] }, every: '1h' })
    .catch((e: unknown) => e);
  expect(bad).toBeInstanceOf(InvalidDefinitionError);
  expect(String(await refused({ cron: '0 2 * * *' }))).toMatch(/give exactly one of --cron/);
  await expect(pw.schedules.describe(id)).rejects.toBeInstanceOf(ScheduleMissingError);
});

test('a schedule by name@latest runs the version published last at each fire', async () => {
  const name = uniqueId('latest');
  const v1 = { ...echo(name), version: 1 };
  await registry.publish(v1);
  const id = scheduleId('latest');
  await pw.schedules.create({ scheduleId: id, ref: `${name}@latest`, definition: v1, every: '2s' });
  const first = await until(id, (v) => finished(v) >= 1);
  expect((await pw.status(first.recentRuns[0]!.workflowId)).pipeline.version).toBe('1');
  await registry.publish({ ...echo(name), version: 2 });
  const published = Date.now();
  const later = await until(id, (v) =>
    v.recentRuns.some((r) => r.state === 'completed' && r.scheduledAt.getTime() > published),
  );
  const next = later.recentRuns.find((r) => r.state === 'completed' && r.scheduledAt.getTime() > published);
  expect((await pw.status(next!.workflowId)).pipeline.version).toBe('2');
  expect(later.target).toBe(`${name}@latest`);
  await pw.schedules.delete(id);
}, 60_000);

test('a schedule whose published definition is gone: its runs fail non-retryably naming it, and describe shows why', async () => {
  const name = uniqueId('gone');
  const v1 = { ...echo(name), version: 1 };
  await registry.publish(v1);
  const id = scheduleId('gone');
  await pw.schedules.create({ scheduleId: id, ref: `${name}@1`, definition: v1, every: '1h', paused: true });
  // Deleted behind the registry's back (no worker has loaded it, so no cache holds it).
  await db.pool.query(`DELETE FROM "${db.schema}".definitions WHERE name = $1`, [name]);
  await pw.schedules.trigger(id);
  const view = await until(id, (v) => v.recentRuns.some((r) => r.state === 'failed'));
  const run = view.recentRuns[0]!;
  expect(run.message).toMatch(new RegExp(`no published definition ${name}@1`));
  const outcome = await pw.result(run.workflowId);
  expect(outcome.outcome).toBe('failed');
  const history = await h.client.workflow.getHandle(run.workflowId).fetchHistory();
  const failed = history.events?.find(
    (e) => e.workflowExecutionFailedEventAttributes,
  )?.workflowExecutionFailedEventAttributes;
  expect(failed?.failure?.applicationFailureInfo).toMatchObject({ type: 'DefinitionNotFound', nonRetryable: true });
});
