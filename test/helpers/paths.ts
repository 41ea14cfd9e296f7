/** Paths the tests share. */
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const TEMPORAL_BIN = path.join(ROOT, '.tools', 'bin', 'temporal');
export const TEMPORAL_TEST_SERVER_BIN = path.join(ROOT, '.tools', 'bin', 'temporal-test-server');
export const WORKFLOW_BUNDLE = path.join(ROOT, '.cache', 'workflow-bundle.js');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
