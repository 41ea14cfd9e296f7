/**
 * `pipewright graph <run id>` in process against the tests' Temporal server: a finished run with a fused chain, a
 * failed node and a skipped one, drawn with each node's state, rows, attempts and error; an unknown run.
 */
import fs from 'node:fs';
import { runCli } from '../../src/cli/cli';
import { startPipeline } from '../helpers/runs';
import type { DataHarness } from '../helpers/data-harness';
import { startDataHarness } from '../helpers/data-harness';

let d: DataHarness;
beforeAll(async () => (d = await startDataHarness('cli_graph')), 60_000);
afterAll(async () => d?.close());

async function graph(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const env = { ...process.env, TEMPORAL_ADDRESS: d.h.address, PIPEWRIGHT_TASK_QUEUE: d.h.taskQueue };
  const code = await runCli(
    ['node', 'pipewright', 'graph', ...args],
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    env,
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('a finished run: the chain it fused, each node in its state with rows, attempts, duration and error', async () => {
  const input = d.file('numbers.csv', 'n\n1\n2\n3\n');
  const handle = await startPipeline(d.h.client, d.h.taskQueue, {
    name: 'graph-run',
    defaults: { onFailure: 'continue', retry: { maximumAttempts: 2, initialInterval: '50ms' } },
    nodes: [
      { id: 'read', type: 'source.csv', params: { path: input, columns: [{ name: 'n', type: 'int' }] } },
      { id: 'double', type: 'transform.map', needs: ['read'], params: { compute: [{ name: 'd', expr: 'n * 2' }] } },
      { id: 'write', type: 'sink.file', needs: ['double'], params: { path: d.path('out.csv') } },
      { id: 'flaky', type: 'fail', params: { always: true, message: 'the "api" <x> is down' } },
      { id: 'after', type: 'noop', needs: ['flaky', 'write'] },
    ],
  });
  await handle.result().catch(() => undefined);

  const mermaid = await graph([handle.workflowId]);
  expect(mermaid.err).toBe('');
  expect(mermaid.code).toBe(0);
  expect(mermaid.out).toContain(`%% ${handle.workflowId} (graph-run@1): failed`);
  expect(mermaid.out).toContain('  subgraph chain_1["fused: read → double → write"]');
  expect(mermaid.out).toMatch(
    / {4}write\["write<br\/>sink.file<br\/>succeeded · 1 attempt · [\d.]+m?s<br\/>3 rows, [\d,.]+\/s"\]/,
  );
  expect(mermaid.out).toMatch(
    / {2}flaky\["flaky<br\/>fail<br\/>failed · 2 attempts · [\d.]+m?s<br\/>IntentionalFailure: the #quot;api#quot; #lt;x#gt; is down[^"]*"\]/,
  );
  expect(mermaid.out).toContain('  class read,double,write succeeded');
  expect(mermaid.out).toContain('  class flaky failed');
  expect(mermaid.out).toContain('  class after skipped');

  const file = d.path('run.svg');
  const svg = await graph([handle.workflowId, '--out', file]);
  expect(svg).toEqual({ code: 0, out: `wrote ${file} (svg, 5 nodes)`, err: '' });
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain('<g class="chain" data-members="read double write">');
  expect(text).toContain('<g class="node" data-node-id="flaky" data-state="failed">');
  expect(text).toContain('IntentionalFailure: the &quot;api&quot; &lt;x&gt; is down');
}, 60_000);

test('an unknown run id is one line, exit 1', async () => {
  expect(await graph(['no-such--run'])).toEqual({
    code: 1,
    out: '',
    err: 'no run with workflow id "no-such--run" in namespace "default": check the id with `pipewright list`',
  });
});
