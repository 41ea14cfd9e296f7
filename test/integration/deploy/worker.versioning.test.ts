/**
 * Worker Versioning on the real dev server: `pipewright worker` registers as the deployment version named by
 * PIPEWRIGHT_DEPLOYMENT_NAME and PIPEWRIGHT_BUILD_ID. A new version rolls out (made current) while a run started
 * on the old one finishes there (pinned); new runs go to the new version.
 */
import { loadConfig } from '../../../src/platform/config/config';
import { createPipewrightWorker } from '../../../worker/create-worker';
import { startPipewright, temporalCli } from '../../helpers/cli-process';
import { WORKFLOW_BUNDLE } from '../../helpers/paths';
import { startPipeline, waitForStatus, nodeOf } from '../../helpers/runs';
import type { TemporalHarness } from '../../helpers/temporal';
import { connectHarness, uniqueId } from '../../helpers/temporal';

let h: TemporalHarness;
beforeAll(async () => {
  h = await connectHarness('versioning');
});
afterAll(() => h.close());

const deploymentName = uniqueId('pw-deploy');

/** Makes a version current, retrying while the server has not yet seen its pollers. */
async function setCurrentVersion(buildId: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await temporalCli(h.address, [
        'worker',
        'deployment',
        'set-current-version',
        '--deployment-name',
        deploymentName,
        '--build-id',
        buildId,
        '--yes',
      ]);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

interface VersioningInfo {
  behavior?: string;
  deploymentVersion?: { buildId?: string; deploymentName?: string };
}

/** `versioningInfo` of `temporal workflow describe --output json`, wherever the CLI nests it. */
async function versioningOf(workflowId: string): Promise<VersioningInfo | undefined> {
  const out = JSON.parse(
    await temporalCli(h.address, ['workflow', 'describe', '--workflow-id', workflowId, '--output', 'json']),
  ) as unknown;
  const find = (v: unknown): VersioningInfo | undefined => {
    if (!v || typeof v !== 'object') return undefined;
    const o = v as Record<string, unknown>;
    if (o.versioningInfo) return o.versioningInfo as VersioningInfo;
    for (const child of Object.values(o)) {
      const found = find(child);
      if (found) return found;
    }
    return undefined;
  };
  return find(out);
}

test('a worker registers with its deployment version; a rollout leaves pinned runs on the old version', async () => {
  const v1 = startPipewright(['worker'], {
    TEMPORAL_ADDRESS: h.address,
    PIPEWRIGHT_TASK_QUEUE: h.taskQueue,
    PIPEWRIGHT_WORKFLOW_BUNDLE: WORKFLOW_BUNDLE,
    PIPEWRIGHT_DEPLOYMENT_NAME: deploymentName,
    PIPEWRIGHT_BUILD_ID: 'build-1',
    PIPEWRIGHT_METRICS_PORT: '0',
    PIPEWRIGHT_SDK_METRICS_PORT: '0',
  });
  let v2Done: Promise<void> | undefined;
  let v2: Awaited<ReturnType<typeof createPipewrightWorker>> | undefined;
  try {
    await v1.waitFor(/polling task queue/);
    expect(v1.output()).toContain(`deployment version ${deploymentName}.build-1 (PINNED)`);
    await setCurrentVersion('build-1');

    const old = await startPipeline(h.client, h.taskQueue, {
      name: 'long-on-v1',
      nodes: [
        { id: 'slow', type: 'sleep', params: { duration: '3s' } },
        { id: 'after', type: 'noop', needs: ['slow'] },
      ],
    });
    await waitForStatus(old, (s) => nodeOf(s, 'slow').state === 'running');

    // Roll out build-2 (from the same settings a container would have) while the old run is still running.
    const versioning = loadConfig({ PIPEWRIGHT_DEPLOYMENT_NAME: deploymentName, PIPEWRIGHT_BUILD_ID: 'build-2' })
      .deployment.versioning;
    v2 = await createPipewrightWorker({
      connection: h.nativeConnection,
      taskQueue: h.taskQueue,
      workflowBundlePath: WORKFLOW_BUNDLE,
      versioning,
      shutdownGraceMs: 1_000,
    });
    v2Done = v2.run();
    await setCurrentVersion('build-2');

    const fresh = await startPipeline(h.client, h.taskQueue, {
      name: 'new-on-v2',
      nodes: [{ id: 'quick', type: 'noop' }],
    });
    expect((await fresh.result()).status.state).toBe('completed');
    expect((await old.result()).status.state).toBe('completed');

    expect(await versioningOf(old.workflowId)).toMatchObject({
      behavior: 'VERSIONING_BEHAVIOR_PINNED',
      deploymentVersion: { deploymentName, buildId: 'build-1' },
    });
    expect(await versioningOf(fresh.workflowId)).toMatchObject({
      behavior: 'VERSIONING_BEHAVIOR_PINNED',
      deploymentVersion: { deploymentName, buildId: 'build-2' },
    });

    const deployment = await temporalCli(h.address, [
      'worker',
      'deployment',
      'describe',
      '--name',
      deploymentName,
      '--output',
      'json',
    ]);
    expect(deployment).toContain('build-1');
    expect(deployment).toContain('build-2');
    expect(JSON.stringify(JSON.parse(deployment))).toMatch(/"currentVersion[^}]*build-2/);
  } finally {
    expect(await v1.stop()).toBe(0);
    v2?.shutdown();
    await v2Done;
  }
}, 120_000);
