/**
 * The workflow bundle built ahead of time (at image build: `pipewright bundle --out dist/workflow-bundle.js`), so a
 * worker starts polling in a second instead of bundling with webpack at every start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ENCRYPTED_FAILURES_PATH } from '../src/platform/codec/data-converter';
import { ENCRYPTED_FAILURES_MARKER } from '../src/platform/codec/encrypted-failures';
import { ConfigError } from '../src/platform/errors';
import { openAtomicFile } from '../src/data/files/atomic-file';

/** The workflows' entry module (`workflows/index`). */
export const WORKFLOWS_PATH = require.resolve('../workflows');

export interface WriteBundleOptions {
  readonly outPath: string;
  /** Bundle the failure converter of encrypted deployments (needed when PIPEWRIGHT_CODEC_KEYS is set). */
  readonly encryptedFailures?: boolean;
}

/**
 * The bundle an installed package ships (`dist/workflow-bundle.js`, written by `npm pack`'s prepack next to the
 * compiled code it was bundled from), when this module runs compiled and it is there; undefined otherwise (a
 * checkout running its sources bundles them at start).
 */
export function packagedWorkflowBundle(): string | undefined {
  if (!__filename.endsWith('.js')) return undefined;
  const bundle = path.resolve(__dirname, '..', 'workflow-bundle.js');
  return fs.existsSync(bundle) ? bundle : undefined;
}

/** Bundles the workflows and writes the bundle atomically; returns its size in bytes. */
export async function writeWorkflowBundle(options: WriteBundleOptions): Promise<number> {
  const quiet = () => undefined;
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    ...(options.encryptedFailures ? { failureConverterPath: ENCRYPTED_FAILURES_PATH } : {}),
    logger: { trace: quiet, debug: quiet, info: quiet, log: quiet, warn: console.warn, error: console.error },
  });
  fs.mkdirSync(path.dirname(path.resolve(options.outPath)), { recursive: true });
  const file = openAtomicFile(options.outPath);
  try {
    await file.write(code);
  } catch (err) {
    await file.abort();
    throw err;
  }
  return file.commit();
}

/**
 * Checks that a prebuilt bundle can be used: readable, and built with encrypted failures when payloads are
 * encrypted (otherwise failure messages would reach Temporal in plain text). Throws a one-line ConfigError.
 */
export function checkWorkflowBundle(bundlePath: string, encryptedFailures: boolean): void {
  let code: string;
  try {
    code = fs.readFileSync(bundlePath, 'utf8');
  } catch (err) {
    throw new ConfigError([
      `PIPEWRIGHT_WORKFLOW_BUNDLE: cannot read ${bundlePath} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    ]);
  }
  if (encryptedFailures && !code.includes(ENCRYPTED_FAILURES_MARKER))
    throw new ConfigError([
      `PIPEWRIGHT_WORKFLOW_BUNDLE: ${bundlePath} was built without encrypted failures but PIPEWRIGHT_CODEC_KEYS is ` +
        'set; write it with `pipewright bundle --encrypted-failures`',
    ]);
}
