/**
 * Run params and templates on the real Temporal server: the workflow renders node params from the run's params and
 * logical date before scheduling the node, the status shows them rendered, and params that do not fit the
 * declarations are refused before a start (client) or fail the run at once (a start that bypassed the client).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PipewrightClient } from '../../src/client/client';
import { InvalidDefinitionError } from '../../src/model/errors';
import { createTestData, type TestData } from '../helpers/data';
import { failureOf, nodeOf } from '../helpers/runs';
import { connectHarness, uniqueId, type TemporalHarness } from '../helpers/temporal';

let h: TemporalHarness;
let db: TestData;
let pw: PipewrightClient;
let dir: string;

beforeAll(async () => {
  db = await createTestData('params');
  h = await connectHarness('params');
  await h.startWorker([], { data: db.services });
  pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-params-'));
  for (const day of ['2024-04-30', '2024-05-01'])
    fs.writeFileSync(path.join(dir, `day-${day}.csv`), `id,day\n1,${day}\n2,${day}\n`);
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const daily = (name: string) => ({
  name,
  params: {
    day: { type: 'date', description: 'the day to copy' },
    suffix: { type: 'string', default: 'copy' },
  },
  nodes: [
    { id: 'read', type: 'source.csv', params: { path: `${dir}/day-{{ params.day }}.csv` } },
    {
      id: 'write',
      type: 'sink.file',
      needs: ['read'],
      params: { path: `${dir}/out-{{ run.logicalDate | add_days(-1) | date }}-{{ upper(params.suffix) }}.csv` },
    },
  ],
});

test('node params render from the params and the logical date; the status shows them', async () => {
  const started = await pw.start(daily(uniqueId('daily')), {
    params: { day: '2024-05-01' },
    logicalDate: '2024-05-01T02:00:00Z',
  });
  const outcome = await pw.result(started.workflowId);
  expect(outcome.outcome).toBe('completed');
  const written = path.join(dir, 'out-2024-04-30-COPY.csv');
  expect(fs.readFileSync(written, 'utf8')).toBe('id,day\n1,2024-05-01\n2,2024-05-01\n');
  const status = await pw.status(started.workflowId);
  expect(status.params).toEqual({ day: '2024-05-01', suffix: 'copy' });
  expect(status.logicalDate).toBe('2024-05-01T02:00:00.000Z');
  expect(nodeOf(status, 'read').params).toEqual({ path: `${dir}/day-2024-05-01.csv` });
  expect(nodeOf(status, 'write').params).toEqual({ path: written });
});

test('without a logical date, templates see the run start (the same in client and workflow)', async () => {
  const before = new Date();
  const started = await pw.start(
    {
      name: uniqueId('when'),
      nodes: [{ id: 'wait', type: 'fail', params: { attempts: 0, message: '{{ run.logicalDate }} {{ run.id }}' } }],
    },
    {},
  );
  await pw.result(started.workflowId);
  const status = await pw.status(started.workflowId);
  const [at, id] = String(nodeOf(status, 'wait').params?.message).split(' ');
  expect(id).toBe(started.workflowId);
  expect(status.logicalDate).toBe(at);
  expect(Date.parse(at ?? '')).toBeGreaterThanOrEqual(before.getTime() - 1000);
  expect(Date.parse(at ?? '')).toBeLessThanOrEqual(Date.now());
});

test('a missing, unknown or mistyped param is refused before anything starts, naming it', async () => {
  const name = uniqueId('refused');
  const refused = async (params: Record<string, unknown>): Promise<string> => {
    const err = await pw.start(daily(name), { params, runKey: 'k' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidDefinitionError);
    return (err as Error).message;
  };
  expect(await refused({})).toMatch(/params\.day: param "day" is required: give it a date \(YYYY-MM-DD\)/);
  expect(await refused({ day: '2024-05-01', dya: 'x' })).toMatch(/params\.dya: unknown param "dya"/);
  expect(await refused({ day: 'yesterday' })).toMatch(/params\.day: param "day": expected a date/);
  await expect(pw.describe(`${name}--k`)).rejects.toThrow(/no run|not found/i);
});

test('a run started past the client with params that do not fit fails at once, non-retryably, naming them', async () => {
  const handle = await h.client.workflow.start('pipeline', {
    taskQueue: h.taskQueue,
    workflowId: uniqueId('raw'),
    args: [{ definition: daily(uniqueId('raw')), params: { day: '2024-02-30' } }],
  });
  const cause = await failureOf(handle.result());
  expect(cause.type).toBe('InvalidPipelineDefinition');
  expect(cause.nonRetryable).toBe(true);
  expect(cause.message).toMatch(
    /params\.day: param "day": expected a date \(YYYY-MM-DD\), got "2024-02-30": day out of range/,
  );
});
