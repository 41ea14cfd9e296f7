/**
 * What a run shows Temporal's visibility and Web UI: the PipelineName and PipelineState search attributes (set by
 * the client, kept current by the workflow through pause, resume and the end), the definition hash in the memo,
 * the static summary; a history with those commands replays. Against a namespace without the attributes a run
 * still starts and completes, and `list` falls back to asking runs.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import type { Worker } from '@temporalio/worker';
import { Worker as ReplayWorker } from '@temporalio/worker';
import { PipewrightClient } from '../../src/client/client';
import { definitionHash } from '../../src/client/definition-hash';
import { PIPELINE_NAME, PIPELINE_STATE } from '../../src/model/search-attributes';
import type { RunStatus } from '../../src/model/state';
import { validateDefinition } from '../../src/model/validate';
import { createPipewrightWorker } from '../../worker/create-worker';
import { SEARCH_ATTRIBUTES_PATCH } from '../../workflows/search-state';
import { WORKFLOW_BUNDLE } from '../helpers/paths';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness, uniqueId } from '../helpers/temporal';

let h: TemporalHarness;
let pw: PipewrightClient;
beforeAll(async () => {
  h = await connectHarness('search');
  await h.startWorker();
  pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
});
afterAll(() => h.close());

const chain = (name: string) => ({
  name,
  defaults: { heartbeatTimeout: '5s' },
  nodes: [
    { id: 'a', type: 'sleep', params: { duration: '800ms' } },
    { id: 'b', type: 'sleep', needs: ['a'], params: { duration: '100ms' } },
  ],
});

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function until(client: PipewrightClient, workflowId: string, predicate: (s: RunStatus) => boolean) {
  return eventually(
    () => client.status(workflowId).catch(() => undefined),
    (s) => s !== undefined && predicate(s),
  );
}

const indexedState = async (workflowId: string) =>
  (await h.client.workflow.getHandle(workflowId).describe()).typedSearchAttributes.get(PIPELINE_STATE);

test('the run is indexed by pipeline and state; the state follows pause, resume and the end', async () => {
  expect(await pw.usesSearchAttributes()).toBe(true);
  const name = uniqueId('sa').replace(/-/g, '_');
  const definition = chain(name);
  const run = await pw.start(definition, { runKey: 'one' });
  const handle = h.client.workflow.getHandle(run.workflowId);
  const started = await handle.describe();
  expect(started.typedSearchAttributes.get(PIPELINE_NAME)).toBe(name);
  expect(started.typedSearchAttributes.get(PIPELINE_STATE)).toBe('running');
  const valid = validateDefinition(definition);
  if (!valid.ok) throw new Error('invalid');
  expect(started.memo).toMatchObject({
    pipeline: name,
    runKey: 'one',
    definitionHash: definitionHash(valid.definition),
  });
  expect(await started.staticSummary()).toBe(`${name}@1: 2 nodes`);
  expect(await started.staticDetails()).toContain(`- definition: \`${definitionHash(valid.definition)}\``);

  // Paused at once, not after waiting for a node to run: under load, a wait for the 800 ms node can miss it.
  await pw.pause(run.workflowId);
  expect(
    await eventually(
      () => indexedState(run.workflowId),
      (v) => v === 'paused',
    ),
  ).toBe('paused');
  // Visibility answers `paused` from the attribute, without asking the run.
  const paused = await eventually(
    () => pw.list({ pipeline: name, state: 'paused' }),
    (runs) => runs.length === 1,
  );
  expect(paused.map((r) => [r.workflowId, r.pipelineState, r.status])).toEqual([[run.workflowId, 'paused', undefined]]);
  expect(await pw.list({ pipeline: name, state: 'running' })).toEqual([]);

  await pw.resume(run.workflowId);
  expect((await pw.result(run.workflowId)).outcome).toBe('completed');
  expect(await indexedState(run.workflowId)).toBe('completed');
  const listed = await eventually(
    () => pw.list({ pipeline: name, state: 'completed' }),
    (runs) => runs.length === 1,
  );
  expect(listed[0]).toMatchObject({ pipeline: name, pipelineState: 'completed', definitionHash: expect.any(String) });

  // One upsert each for paused, running and completed; the patch marker guards them for older histories.
  const history = await handle.fetchHistory();
  const states = (history.events ?? []).flatMap((e) => {
    const field = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.PipelineState;
    return field?.data ? [JSON.parse(Buffer.from(field.data).toString()) as string] : [];
  });
  expect(states).toEqual(['paused', 'running', 'completed']);
  const patches = (history.events ?? []).flatMap((e) =>
    e.markerRecordedEventAttributes?.markerName === 'core_patch'
      ? (e.markerRecordedEventAttributes.details?.['patch-data']?.payloads ?? []).map((p) =>
          Buffer.from(p.data ?? []).toString(),
        )
      : [],
  );
  expect(patches).toEqual([expect.stringContaining(`"${SEARCH_ATTRIBUTES_PATCH}"`)]);
  await ReplayWorker.runReplayHistory(
    {
      workflowBundle: { codePath: WORKFLOW_BUNDLE },
      sinks: { pipelineMetrics: { runEnded: { fn: () => undefined, callDuringReplay: false } } },
    },
    history,
    run.workflowId,
  );
});

test('a cancelled run is indexed as cancelled, a failed one as failed', async () => {
  const name = uniqueId('sa-end').replace(/-/g, '_');
  const long = await pw.start(
    { name, nodes: [{ id: 'wait', type: 'sleep', params: { duration: '20s' } }] },
    { runKey: 'cancel' },
  );
  await until(pw, long.workflowId, (s) => s.counts.running === 1);
  await pw.cancel(long.workflowId);
  expect((await pw.result(long.workflowId)).outcome).toBe('cancelled');
  expect(await indexedState(long.workflowId)).toBe('cancelled');
  const failing = await pw.start(
    { name, nodes: [{ id: 'boom', type: 'fail', params: { always: true, retryable: false } }] },
    { runKey: 'fail' },
  );
  expect((await pw.result(failing.workflowId)).outcome).toBe('failed');
  expect(await indexedState(failing.workflowId)).toBe('failed');
});

test('the attributes survive continue-as-new and end as completed', async () => {
  const name = uniqueId('sa-can').replace(/-/g, '_');
  const nodes = Array.from({ length: 12 }, (_, i) => ({
    id: `n${i}`,
    type: 'noop',
    needs: i > 0 ? [`n${i - 1}`] : [],
  }));
  const run = await pw.start({ name, nodes }, { runKey: 'can', historyEventLimit: 40 });
  const outcome = await pw.result(run.workflowId);
  expect(outcome.outcome).toBe('completed');
  expect(outcome.status?.generation).toBeGreaterThan(1);
  const latest = await h.client.workflow.getHandle(run.workflowId).describe();
  expect(latest.typedSearchAttributes.get(PIPELINE_STATE)).toBe('completed');
  expect(latest.typedSearchAttributes.get(PIPELINE_NAME)).toBe(name);
  expect(latest.memo).toMatchObject({ pipeline: name, runKey: 'can' });
});

describe('a namespace without the search attributes (someone else’s server)', () => {
  const namespace = `pw-bare-${randomUUID().slice(0, 8)}`;
  const taskQueue = uniqueId('tq-bare');
  let worker: Worker;
  let running: Promise<void>;
  let bare: PipewrightClient;
  beforeAll(async () => {
    await h.client.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    worker = await createPipewrightWorker({
      connection: h.nativeConnection,
      namespace,
      taskQueue,
      workflowBundlePath: WORKFLOW_BUNDLE,
      shutdownGraceMs: 2_000,
    });
    running = worker.run();
    bare = new PipewrightClient(new Client({ connection: h.client.connection, namespace }), { taskQueue });
  });
  afterAll(async () => {
    worker.shutdown();
    await running;
  });

  test('runs start and complete without them, and list finds paused runs by asking them', async () => {
    expect(await bare.usesSearchAttributes()).toBe(false);
    const name = uniqueId('bare').replace(/-/g, '_');
    // What the check avoids: a start that sets attributes the namespace lacks is refused.
    const forced = new PipewrightClient(new Client({ connection: h.client.connection, namespace }), {
      taskQueue,
      searchAttributes: true,
    });
    const refused = await forced.start(chain(name), { runKey: 'forced' }).catch((e: unknown) => e as Error);
    // The server names the first attribute it checks, in no fixed order.
    expect(String((refused as Error).cause)).toMatch(/no mapping defined for search attribute Pipeline(Name|State)\b/);

    const run = await bare.start(chain(name), { runKey: 'one' });
    await bare.pause(run.workflowId);
    const paused = await eventually(
      () => bare.list({ pipeline: name, state: 'paused' }),
      (runs) => runs.length === 1,
    );
    expect(paused[0]?.workflowId).toBe(run.workflowId);
    expect(paused[0]?.status?.paused).toBe(true);
    await bare.resume(run.workflowId);
    expect((await bare.result(run.workflowId)).outcome).toBe('completed');
    const description = await bare.temporal.workflow.getHandle(run.workflowId).describe();
    expect(description.typedSearchAttributes.get(PIPELINE_STATE)).toBeUndefined();
  });
});
