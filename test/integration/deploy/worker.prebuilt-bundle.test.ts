/**
 * The image's way of starting: `pipewright bundle` writes the workflow bundle at build time, and `pipewright worker`
 * with PIPEWRIGHT_WORKFLOW_BUNDLE loads it instead of bundling at start, and runs pipelines from it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENCRYPTED_FAILURES_MARKER } from '../../../src/platform/codec/encrypted-failures';
import { runPipewright, startPipewright } from '../../helpers/cli-process';
import { startPipeline } from '../../helpers/runs';
import type { TemporalHarness } from '../../helpers/temporal';
import { connectHarness } from '../../helpers/temporal';

let h: TemporalHarness;
let dir: string;
beforeAll(async () => {
  h = await connectHarness('bundle');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-bundle-'));
});
afterAll(async () => {
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('pipewright bundle writes a bundle that pipewright worker runs pipelines from', async () => {
  const bundle = path.join(dir, 'dist', 'workflow-bundle.js');
  const written = await runPipewright(['bundle', '--out', bundle]);
  expect(written.stderr).toBe('');
  expect(written.code).toBe(0);
  expect(written.stdout).toMatch(/^wrote .*workflow-bundle\.js \(\d+ KiB\)\n$/);
  const code = fs.readFileSync(bundle, 'utf8');
  expect(code).toContain('pipeline');
  expect(code).not.toContain(ENCRYPTED_FAILURES_MARKER);

  const worker = startPipewright(['worker'], {
    TEMPORAL_ADDRESS: h.address,
    PIPEWRIGHT_TASK_QUEUE: h.taskQueue,
    PIPEWRIGHT_WORKFLOW_BUNDLE: bundle,
    PIPEWRIGHT_METRICS_PORT: '0',
    PIPEWRIGHT_SDK_METRICS_PORT: '0',
  });
  try {
    await worker.waitFor(/polling task queue/);
    expect(worker.output()).toContain(`workflow bundle ${bundle}; unversioned; payloads not encrypted`);
    const handle = await startPipeline(h.client, h.taskQueue, {
      name: 'from-bundle',
      nodes: [
        { id: 'a', type: 'sleep', params: { duration: '100ms' } },
        { id: 'b', type: 'noop', needs: ['a'] },
      ],
    });
    expect((await handle.result()).status.counts.succeeded).toBe(2);
  } finally {
    expect(await worker.stop()).toBe(0);
  }
}, 120_000);

test('pipewright bundle --encrypted-failures bundles the failure converter of encrypted deployments', async () => {
  const bundle = path.join(dir, 'encrypted.js');
  const written = await runPipewright(['bundle', '--out', bundle, '--encrypted-failures']);
  expect(written.code).toBe(0);
  expect(written.stdout).toContain('encrypted failures');
  expect(fs.readFileSync(bundle, 'utf8')).toContain(ENCRYPTED_FAILURES_MARKER);
}, 120_000);
