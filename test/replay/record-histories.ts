/**
 * Records workflow histories for the replay test: `npm run record:histories`. Starts its own Temporal dev server
 * from .tools/ and an in-process worker, runs each scenario, and writes test/replay/histories/<name>.json.
 * Re-record only on purpose (a change of command order must be guarded with patched() instead).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { PIPELINE_SEARCH_ATTRIBUTES } from '../../src/model/search-attributes';
import { loadDefinitionFile } from '../../src/client/definition-file';
import { createPipewrightWorker } from '../../worker/create-worker';
import { setPausedUpdate, statusQuery } from '../../src/engine/messages';
import type { pipeline } from '../../workflows/pipeline';
import { ROOT, TEMPORAL_BIN } from '../helpers/paths';

const OUT = path.join(ROOT, 'test', 'replay', 'histories');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: TEMPORAL_BIN },
      searchAttributes: [...PIPELINE_SEARCH_ATTRIBUTES],
    },
  });
  const worker = await createPipewrightWorker({ connection: env.nativeConnection, taskQueue: 'record' });
  const start = (id: string, definition: unknown) =>
    env.client.workflow.start<typeof pipeline>('pipeline', {
      taskQueue: 'record',
      workflowId: id,
      args: [{ definition }],
    });
  const save = async (name: string, workflowId: string) => {
    // The temporal CLI writes the standard JSON history format that historyFromJSON reads.
    const json = execFileSync(TEMPORAL_BIN, [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--output',
      'json',
      '--address',
      env.address,
    ]);
    fs.writeFileSync(path.join(OUT, `${name}.json`), json);
    console.log(`recorded ${name}: ${(JSON.parse(json.toString()) as { events: unknown[] }).events.length} events`);
  };
  try {
    await record(env, worker, start, save);
  } finally {
    await env.teardown();
  }
}

async function record(
  env: TestWorkflowEnvironment,
  worker: Awaited<ReturnType<typeof createPipewrightWorker>>,
  start: (id: string, definition: unknown) => ReturnType<TestWorkflowEnvironment['client']['workflow']['start']>,
  save: (name: string, workflowId: string) => Promise<void>,
): Promise<void> {
  await worker.runUntil(async () => {
    const demo = await start('fanout-demo', loadDefinitionFile(path.join(ROOT, 'examples', 'fanout.yaml')));
    await demo.result();
    await save('fanout-demo', demo.workflowId);

    const paused = await start('pause-immediate-resume', {
      name: 'pausable',
      defaults: { heartbeatTimeout: '5s' },
      nodes: [
        { id: 'long', type: 'sleep', params: { duration: '3s' } },
        { id: 'after', type: 'noop', needs: ['long'] },
      ],
    });
    while ((await paused.query(statusQuery)).counts.running === 0) await sleep(50);
    await sleep(1_300);
    await paused.executeUpdate(setPausedUpdate, { args: [{ paused: true, mode: 'immediate' }] });
    await paused.executeUpdate(setPausedUpdate, { args: [{ paused: false }] });
    await paused.result();
    await save('pause-immediate-resume', paused.workflowId);

    const failing = await start('fail-fast', {
      name: 'failing',
      defaults: { retry: { maximumAttempts: 2, initialInterval: '100ms' } },
      nodes: [
        { id: 'slow', type: 'sleep', params: { duration: '10s' } },
        { id: 'bad', type: 'fail', params: { always: true } },
        { id: 'after', type: 'noop', needs: ['bad'] },
      ],
    });
    await failing.result().catch(() => undefined);
    await save('fail-fast', failing.workflowId);
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
