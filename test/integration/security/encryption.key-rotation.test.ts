/**
 * Key rotation on a real server: runs encrypted with the old key stay readable after the current key changes, as
 * long as workers keep the old key; a worker without it fails clearly instead of seeing undecoded data. Workers
 * here load a bundle written by `writeWorkflowBundle` with encrypted failures, as a container does.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { encryptionDataConverter } from '../../../src/platform/codec/data-converter';
import { parseKeyRing } from '../../../src/platform/codec/key-ring';
import { ConfigError } from '../../../src/platform/errors';
import { statusQuery } from '../../../src/engine/messages';
import { createPipewrightWorker } from '../../../worker/create-worker';
import { writeWorkflowBundle } from '../../../worker/workflow-bundle';
import { WORKFLOW_BUNDLE } from '../../helpers/paths';
import { startPipewright } from '../../helpers/cli-process';
import { startPipeline } from '../../helpers/runs';
import type { TemporalHarness } from '../../helpers/temporal';
import { connectHarness } from '../../helpers/temporal';
import { freePort } from '../../helpers/worker-process';

const OLD = `old:${randomBytes(32).toString('base64')}`;
const NEW = `new:${randomBytes(32).toString('base64')}`;
const oldRing = parseKeyRing(OLD);
const newOnly = parseKeyRing(NEW);
const rotated = parseKeyRing(`${NEW},${OLD}`);

let h: TemporalHarness;
let dir: string;
let bundle: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-rotation-'));
  bundle = path.join(dir, 'workflow-bundle.js');
  await writeWorkflowBundle({ outPath: bundle, encryptedFailures: true });
  h = await connectHarness('rotation', { codecKeys: oldRing });
}, 120_000);
afterAll(async () => {
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function withWorker<T>(keys: typeof oldRing, fn: () => Promise<T>): Promise<T> {
  const worker: Worker = await createPipewrightWorker({
    connection: h.nativeConnection,
    taskQueue: h.taskQueue,
    workflowBundlePath: bundle,
    dataConverter: encryptionDataConverter(keys),
    shutdownGraceMs: 1_000,
  });
  return worker.runUntil(fn);
}

const definition = (name: string) => ({
  name,
  nodes: [
    { id: 'a', type: 'sleep', params: { duration: '100ms' } },
    { id: 'b', type: 'noop', needs: ['a'] },
  ],
});

/** The key ids named in the metadata of every payload of a history. */
function keyIdsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keyIdsIn(v, found);
  else if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const keyId = (value as { metadata?: Record<string, Uint8Array> }).metadata?.['encryption-key-id'];
    if (keyId) found.add(Buffer.from(keyId).toString('utf8'));
    for (const v of Object.values(value)) keyIdsIn(v, found);
  }
  return found;
}

test('after rotation the old runs still decode; a worker without the old key fails with a clear error', async () => {
  const before = await startPipeline(h.client, h.taskQueue, definition('before-rotation'));
  await withWorker(oldRing, () => before.result());
  expect(keyIdsIn(await before.fetchHistory())).toEqual(new Set(['old']));

  // `pipewright worker` from the prebuilt bundle, having lost the old key: to answer a query it must replay the
  // old run's history. It refuses (the query fails) and logs why; it never hands out undecoded data. It also
  // serves the codec endpoint (PIPEWRIGHT_CODEC_PORT), with the same keys (and, for this test, no credentials).
  const codecPort = await freePort();
  const worker = startPipewright(['worker'], {
    PIPEWRIGHT_CODEC_PORT: String(codecPort),
    PIPEWRIGHT_CODEC_AUTH: 'none',
    TEMPORAL_ADDRESS: h.address,
    PIPEWRIGHT_TASK_QUEUE: h.taskQueue,
    PIPEWRIGHT_CODEC_KEYS: NEW,
    PIPEWRIGHT_WORKFLOW_BUNDLE: bundle,
    PIPEWRIGHT_METRICS_PORT: '0',
    PIPEWRIGHT_SDK_METRICS_PORT: '0',
  });
  try {
    await worker.waitFor(/polling task queue/);
    // The deployment line follows the polling line, maybe in a later write.
    await worker.waitFor(
      /workflow bundle .*workflow-bundle\.js; unversioned; payloads encrypted with key new .*; codec endpoint on .*NO credentials asked/,
      15_000,
    );
    const newOnlyClient = new Client({
      connection: h.client.connection,
      dataConverter: encryptionDataConverter(newOnly),
    });
    await expect(newOnlyClient.workflow.getHandle(before.workflowId).query(statusQuery)).rejects.toThrow();
    await worker.waitFor(
      /UnknownCodecKeyError: cannot decrypt a payload encrypted with key id "old": this process knows only "new"/,
    );
  } finally {
    expect(await worker.stop()).toBe(0);
  }
  expect(worker.output()).not.toContain(NEW.split(':')[1]);

  const rotatedClient = new Client({
    connection: h.client.connection,
    dataConverter: encryptionDataConverter(rotated),
  });
  await withWorker(rotated, async () => {
    const status = await rotatedClient.workflow.getHandle(before.workflowId).query(statusQuery);
    expect(status.state).toBe('completed');
    const after = await startPipeline(rotatedClient, h.taskQueue, definition('after-rotation'));
    expect((await after.result()).status.counts.succeeded).toBe(2);
    expect(keyIdsIn(await after.fetchHistory())).toEqual(new Set(['new']));
  });
}, 120_000);

test('a prebuilt bundle without encrypted failures is refused when payloads are encrypted', async () => {
  const refused = await createPipewrightWorker({
    connection: h.nativeConnection,
    taskQueue: h.taskQueue,
    workflowBundlePath: WORKFLOW_BUNDLE,
    dataConverter: encryptionDataConverter(oldRing),
  }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(ConfigError);
  expect((refused as Error).message).toMatch(/PIPEWRIGHT_WORKFLOW_BUNDLE: .* was built without encrypted failures/);
});
