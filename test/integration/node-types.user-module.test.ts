import path from 'node:path';
import { loadNodeModules } from '../../src/nodes/load-modules';
import { statusQuery } from '../../src/engine/messages';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness } from '../helpers/temporal';
import { nodeOf, startPipeline } from '../helpers/runs';

let h: TemporalHarness;
afterAll(() => h?.close());

test('a node type loaded from a user module runs in the worker and reports its stats', async () => {
  const types = loadNodeModules(['examples/nodes/line-count.ts'], path.join(__dirname, '../..'));
  expect(types.map((t) => t.name)).toEqual(['line-count']);
  h = await connectHarness('usermod');
  await h.startWorker(types);
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'count',
    nodes: [
      { id: 'readme', type: 'line-count', params: { path: path.join(__dirname, '../../examples/fanout.yaml') } },
      { id: 'missing', type: 'line-count', params: { path: '/nonexistent/file.txt' }, onFailure: 'continue' },
    ],
  });
  await handle.result().catch(() => undefined);
  const status = await handle.query(statusQuery);
  const readme = nodeOf(status, 'readme');
  expect(readme.state).toBe('succeeded');
  expect(readme.output?.stats?.lines).toBeGreaterThan(10);
  expect(nodeOf(status, 'missing')).toMatchObject({ state: 'failed', attempts: 1, error: { type: 'FileNotFound' } });
});

test('loading a module that exports no node types, or does not exist, fails with a clear error', () => {
  expect(() => loadNodeModules(['examples/fanout.yaml'])).toThrow(/node module examples\/fanout.yaml/);
  expect(() => loadNodeModules(['nope/missing.js'])).toThrow(/cannot be loaded .* check the path/);
});
