/**
 * Operators drive runs with the official `temporal` CLI (the binary in .tools/): start, signal, query, describe.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { RunStatus } from '../../src/model/state';
import { TEMPORAL_BIN } from '../helpers/paths';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness, uniqueId } from '../helpers/temporal';

const exec = promisify(execFile);
let h: TemporalHarness;
beforeAll(async () => {
  h = await connectHarness('tcli');
  await h.startWorker();
});
afterAll(() => h.close());

const temporal = async (...args: string[]): Promise<string> => {
  const { stdout } = await exec(TEMPORAL_BIN, [...args, '--address', h.address, '--namespace', 'default'], {
    timeout: 20_000,
  });
  return stdout;
};
const queryStatus = async (workflowId: string): Promise<RunStatus> => {
  const out = JSON.parse(
    await temporal('workflow', 'query', '--workflow-id', workflowId, '--name', 'status', '--output', 'json'),
  );
  return (out.queryResult?.[0] ?? out.result?.[0] ?? out) as RunStatus;
};

test('start, pause by signal, query status, describe and resume with the temporal CLI', async () => {
  const workflowId = uniqueId('cli');
  const input = {
    definition: {
      name: 'cli-driven',
      nodes: [
        { id: 'first', type: 'sleep', params: { duration: '1s' } },
        { id: 'second', type: 'noop', needs: ['first'] },
      ],
    },
  };
  await temporal(
    'workflow',
    'start',
    '--type',
    'pipeline',
    '--task-queue',
    h.taskQueue,
    '--workflow-id',
    workflowId,
    '--input',
    JSON.stringify(input),
  );
  await temporal(
    'workflow',
    'signal',
    '--workflow-id',
    workflowId,
    '--name',
    'pause',
    '--input',
    JSON.stringify({ mode: 'drain' }),
  );

  let status = await queryStatus(workflowId);
  expect(status.state).toBe('paused');
  expect(status.pipeline.name).toBe('cli-driven');
  const deadline = Date.now() + 10_000;
  while (status.nodes.find((n) => n.id === 'first')?.state !== 'succeeded' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    status = await queryStatus(workflowId);
  }
  expect(status.nodes.map((n) => [n.id, n.state])).toEqual([
    ['first', 'succeeded'],
    ['second', 'pending'],
  ]);

  const described = JSON.parse(await temporal('workflow', 'describe', '--workflow-id', workflowId, '--output', 'json'));
  expect(JSON.stringify(described)).toMatch(/RUNNING/);
  expect(JSON.stringify(described)).toMatch(/"pipeline"/);

  await temporal('workflow', 'signal', '--workflow-id', workflowId, '--name', 'resume');
  const result = await h.client.workflow.getHandle(workflowId).result();
  expect(result.status.state).toBe('completed');
});

test('the temporal CLI sees a pipewright schedule, and a schedule it creates for the pipeline type runs', async () => {
  const { PipewrightClient } = await import('../../src/client/client');
  const pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
  const ours = uniqueId('tcli-sch');
  await pw.schedules.create({
    scheduleId: ours,
    definition: { name: 'tcli-scheduled', nodes: [{ id: 'a', type: 'noop' }] },
    cron: '0 2 * * *',
    timezone: 'Europe/Berlin',
    paused: true,
    note: 'seen from the temporal CLI',
  });
  const listed = await temporal('schedule', 'list', '--output', 'json');
  expect(listed).toContain(ours);
  const described = JSON.parse(await temporal('schedule', 'describe', '--schedule-id', ours, '--output', 'json'));
  expect(JSON.stringify(described)).toContain('Europe/Berlin');
  expect(JSON.stringify(described)).toContain('seen from the temporal CLI');
  expect(JSON.stringify(described)).toMatch(/"workflowType":\{"name":"pipeline"\}|"name":"pipeline"/);
  await pw.schedules.delete(ours);

  // Made with the temporal CLI alone: the input carries the definition and its params.
  const theirs = uniqueId('tcli-own');
  const input = {
    definition: {
      name: 'tcli-own',
      params: { label: 'string' },
      nodes: [
        { id: 'echo', type: 'fail', params: { attempts: 0, message: '{{ params.label }} {{ run.logicalDate }}' } },
      ],
    },
    params: { label: 'from-cli' },
  };
  await temporal(
    'schedule',
    'create',
    '--schedule-id',
    theirs,
    '--workflow-id',
    `tcli-own--${theirs}`,
    '--type',
    'pipeline',
    '--task-queue',
    h.taskQueue,
    '--interval',
    '1h',
    '--input',
    JSON.stringify(input),
  );
  await temporal('schedule', 'trigger', '--schedule-id', theirs);
  const deadline = Date.now() + 20_000;
  let view = await pw.schedules.describe(theirs);
  while (!view.recentRuns.some((r) => r.state === 'completed')) {
    if (Date.now() > deadline) throw new Error(`no run completed: ${JSON.stringify(view)}`);
    await new Promise((r) => setTimeout(r, 200));
    view = await pw.schedules.describe(theirs);
  }
  const run = view.recentRuns.find((r) => r.state === 'completed');
  const status = await queryStatus(run!.workflowId);
  expect(status.params).toEqual({ label: 'from-cli' });
  expect(status.nodes[0]?.params?.message).toBe(`from-cli ${status.logicalDate}`);
  // A trigger's scheduled time reaches the run in whole seconds (TemporalScheduledStartTime).
  expect(Math.abs(Date.parse(status.logicalDate ?? '') - run!.scheduledAt.getTime())).toBeLessThan(1000);
  await temporal('schedule', 'delete', '--schedule-id', theirs);
});
