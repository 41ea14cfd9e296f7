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
