/**
 * A run explains itself in the Temporal Web UI, checked in headless Chromium (Debian's, driven by playwright-core;
 * nothing is downloaded): its summary and details (with the DAG as Mermaid text), current details that follow
 * pause and the end, the PipelineState search attribute (also as a filter of the run list), and each node's
 * activity named by its summary. Runs against a dev server of its own with the UI; screenshots go to test-artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Browser, Page } from 'playwright-core';
import { PipewrightClient } from '../../src/client/client';
import type { RunStatus } from '../../src/model/state';
import { loadDefinitionFile } from '../../src/client/definition-file';
import type { DevServer } from '../../src/platform/devserver';
import { startDevServer } from '../../src/platform/devserver';
import { createPipewrightWorker } from '../../worker/create-worker';
import { launchChromium } from '../helpers/chromium';
import { ARTIFACTS, ROOT, TEMPORAL_BIN, WORKFLOW_BUNDLE } from '../helpers/paths';

/** How long one thing may take to show in the page. */
const UI_WAIT_MS = 20_000;

let server: DevServer;
let connection: NativeConnection;
let clientConnection: Connection;
let worker: Worker;
let running: Promise<void>;
let browser: Browser;
let pw: PipewrightClient;

async function waitForUi(url: string, deadline: number): Promise<void> {
  for (;;) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the Web UI at ${url} did not answer`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function untilStatus(workflowId: string, predicate: (s: RunStatus) => boolean): Promise<RunStatus> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const s = await pw.status(workflowId).catch(() => undefined);
    if (s && predicate(s)) return s;
    if (Date.now() > deadline) throw new Error(`condition not met; last status ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Waits for `text` to be visible in the page or one of its frames: the UI renders markdown (summary, details,
 * current details) inside sandboxed iframes, and the timeline as SVG text.
 */
async function shows(page: Page, text: string): Promise<void> {
  const deadline = Date.now() + UI_WAIT_MS;
  for (;;) {
    for (const frame of page.frames())
      if (
        await frame
          .getByText(text)
          .first()
          .isVisible()
          .catch(() => false)
      )
        return;
    if (Date.now() > deadline) throw new Error(`"${text}" did not show on ${page.url()} within ${UI_WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  server = await startDevServer({ bin: TEMPORAL_BIN, readyTimeoutMs: 30_000 });
  const uiReady = waitForUi(server.uiUrl ?? '', Date.now() + 30_000);
  connection = await NativeConnection.connect({ address: server.address });
  const taskQueue = 'web-ui-e2e';
  worker = await createPipewrightWorker({
    connection,
    taskQueue,
    workflowBundlePath: WORKFLOW_BUNDLE,
    shutdownGraceMs: 2_000,
  });
  running = worker.run();
  clientConnection = await Connection.connect({ address: server.address });
  pw = new PipewrightClient(new Client({ connection: clientConnection }), { taskQueue });
  [browser] = await Promise.all([launchChromium(), uiReady]);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await clientConnection?.close();
  await connection?.close();
  await server?.stop();
});

test('the run page shows summary, details, current details, the state attribute and every node activity', async () => {
  const run = await pw.start(loadDefinitionFile(path.join(ROOT, 'examples', 'fanout.yaml')), { runKey: 'web-ui' });
  await untilStatus(run.workflowId, (s) => s.counts.running > 0);
  await pw.pause(run.workflowId);
  // Drained: the nodes that were running finished, nothing else started.
  await untilStatus(run.workflowId, (s) => s.counts.running === 0);

  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const runPage = `${server.runUrl(run.workflowId)}/${run.runId}`;

  // The run list filtered by the search attribute finds the paused run.
  await page.goto(
    `${server.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent("PipelineState = 'paused'")}`,
  );
  await shows(page, run.workflowId);

  await page.goto(`${runPage}/user-metadata`);
  await shows(page, 'fanout-demo@1: 8 nodes'); // static summary
  await shows(page, 'Extract once, process six partitions in parallel, then join.'); // static details
  await shows(page, 'run key: web-ui');
  await shows(page, 'part-4 fail, needs extract');
  // The DAG as Mermaid text: this Web UI shows it as a code block, not as a picture.
  await shows(page, 'flowchart LR');
  await shows(page, 'extract --> part-4');
  await shows(page, 'paused (drain)'); // current details while paused
  await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-run-paused.png'), fullPage: true });

  await pw.resume(run.workflowId);
  expect((await pw.result(run.workflowId)).outcome).toBe('completed');
  await page.reload();
  await shows(page, '8 of 8 nodes done: 8 succeeded');
  await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-run-details.png'), fullPage: true });

  await page.goto(`${runPage}/search-attributes`);
  await shows(page, '"PipelineState"');
  await shows(page, '"completed"');
  await shows(page, '"fanout-demo"');

  // Each node's activity carries its summary: `part-4 (fail)`, retried once.
  await page.goto(`${runPage}/timeline`);
  for (const summary of ['extract (sleep)', 'part-1 (sleep)', 'part-4 (fail)', 'part-6 (sleep)', 'join (noop)'])
    await shows(page, summary);
  await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-run-timeline.png'), fullPage: true });
  await page.close();
}, 90_000);

test("a schedule's page shows its spec and its runs, and the run list filters on the schedule", async () => {
  const scheduleId = 'web-ui-nightly';
  await pw.schedules.create({
    scheduleId,
    definition: { name: 'scheduled-demo', nodes: [{ id: 'a', type: 'noop' }] },
    cron: '0 2 * * *',
    paused: true,
    note: 'triggered by hand in this test',
  });
  let view = await pw.schedules.describe(scheduleId);
  // Two triggers, a second apart (a run's id carries its fire time in whole seconds).
  for (const n of [1, 2]) {
    await pw.schedules.trigger(scheduleId);
    const deadline = Date.now() + 15_000;
    while (view.recentRuns.filter((r) => r.state === 'completed').length < n) {
      if (Date.now() > deadline) throw new Error(`the triggered run did not complete: ${JSON.stringify(view)}`);
      await new Promise((r) => setTimeout(r, 200));
      view = await pw.schedules.describe(scheduleId);
    }
    await new Promise((r) => setTimeout(r, 1_100));
  }
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${server.uiUrl}/namespaces/default/schedules/${scheduleId}`);
  await shows(page, scheduleId);
  await shows(page, 'triggered by hand in this test');
  for (const run of view.recentRuns) await shows(page, run.workflowId);
  await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-schedule.png'), fullPage: true });

  await page.goto(
    `${server.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(`TemporalScheduledById = '${scheduleId}'`)}`,
  );
  for (const run of view.recentRuns) await shows(page, run.workflowId);
  await page.close();
  await pw.schedules.delete(scheduleId);
}, 90_000);

test('a held run says so in its current details and is found by PipelineState', async () => {
  const run = await pw.start(
    {
      name: 'holding',
      defaults: { onFailure: 'hold', retry: { maximumAttempts: 1 } },
      nodes: [
        { id: 'a', type: 'fail', params: { always: true, message: 'the source is not there yet' } },
        { id: 'b', type: 'noop', needs: ['a'] },
        { id: 'c', type: 'noop' },
      ],
    },
    { runKey: 'web-ui-held' },
  );
  const held = await untilStatus(run.workflowId, (s) => s.state === 'held' && s.counts.succeeded === 1);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${server.runUrl(run.workflowId)}/${run.runId}/user-metadata`);
  await shows(page, 'held: waiting for an operator to retry or skip the held nodes');
  await shows(page, `held a: ${held.nodes[0]?.error?.message ?? ''}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-run-held.png'), fullPage: true });
  await page.goto(`${server.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent("PipelineState = 'held'")}`);
  await shows(page, run.workflowId);
  await page.close();
  await pw.failRun(run.workflowId);
}, 60_000);
