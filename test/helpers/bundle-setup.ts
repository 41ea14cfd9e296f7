/**
 * Bundles the workflow code once for every test worker of the run (the workflow, replay, integration and e2e tiers
 * read it from WORKFLOW_BUNDLE). Runs once per jest process, however many projects list it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE } from './paths';

const BUNDLED = '__PIPEWRIGHT_BUNDLED__';

export default async function bundleSetup(): Promise<void> {
  const state = globalThis as Record<string, unknown>;
  if (state[BUNDLED]) return;
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  fs.mkdirSync(path.dirname(WORKFLOW_BUNDLE), { recursive: true });
  fs.writeFileSync(WORKFLOW_BUNDLE, code);
  state[BUNDLED] = true;
}
