/**
 * For the integration and e2e tiers: starts one real Temporal dev server (the `temporal` CLI binary from .tools/, no
 * download) for the whole run, unless TEMPORAL_ADDRESS points at one, and bundles the workflow code. The server's
 * own Prometheus metrics (task queue backlog) are on PIPEWRIGHT_TEST_TEMPORAL_METRICS_URL (with TEMPORAL_ADDRESS:
 * from TEMPORAL_METRICS_URL, if set).
 */
import fs from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { PIPELINE_SEARCH_ATTRIBUTES } from '../../src/model/search-attributes';
import bundleSetup from './bundle-setup';
import { TEMPORAL_BIN } from './paths';
import { freePort } from './worker-process';

export default async function globalSetup(): Promise<void> {
  if (!fs.existsSync(TEMPORAL_BIN))
    throw new Error(`${TEMPORAL_BIN} is missing: run "make test" (or scripts/setup.sh) first`);
  await bundleSetup();

  if (!process.env.TEMPORAL_ADDRESS) {
    const metricsPort = await freePort();
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: TEMPORAL_BIN },
        ip: '127.0.0.1',
        log: { format: 'pretty', level: 'error' },
        // As every dev server pipewright starts: runs are indexed by pipeline and state.
        searchAttributes: [...PIPELINE_SEARCH_ATTRIBUTES],
        // Suggest continue-as-new early so the long-DAG test crosses it quickly.
        extraArgs: [
          '--dynamic-config-value',
          'limit.historyCount.suggestContinueAsNew=600',
          // The task queue backlog in the server's metrics every second, for test/integration/deploy/prometheus.*.
          '--dynamic-config-value',
          'matching.backlogMetricsEmitInterval="1s"',
          '--metrics-port',
          String(metricsPort),
        ],
      },
    });
    (globalThis as Record<string, unknown>).__PIPEWRIGHT_TEMPORAL__ = env;
    process.env.PIPEWRIGHT_TEST_TEMPORAL_ADDRESS = env.address;
    process.env.PIPEWRIGHT_TEST_TEMPORAL_METRICS_URL = `http://127.0.0.1:${metricsPort}/metrics`;
  } else {
    process.env.PIPEWRIGHT_TEST_TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS;
    if (process.env.TEMPORAL_METRICS_URL)
      process.env.PIPEWRIGHT_TEST_TEMPORAL_METRICS_URL = process.env.TEMPORAL_METRICS_URL;
  }
}
