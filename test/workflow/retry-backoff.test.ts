/**
 * Retries happen at the node's backoff intervals. Runs on the time-skipping test server (from .tools/, no
 * download), so minutes of backoff pass in a moment; each attempt reads the test server's skipped clock.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { defineNodeType } from '../../src/nodes/node-type';
import type { NodeType } from '../../src/nodes/node-type';
import { createPipewrightWorker } from '../../worker/create-worker';
import type { pipeline } from '../../workflows/pipeline';
import { WORKFLOW_BUNDLE } from '../helpers/paths';
import { useTimeSkippingEnv } from '../helpers/time-skipping';

const testEnv = useTimeSkippingEnv();

test('each retry waits initialInterval * coefficient^(n-1), capped at maximumInterval', async () => {
  const env = testEnv();
  const startedAt: number[] = [];
  const flaky = defineNodeType({
    name: 'flaky',
    params: z.object({ failures: z.number().int() }),
    run: async (ctx) => {
      startedAt.push(await env.currentTimeMs());
      if (ctx.attempt <= ctx.params.failures)
        throw ApplicationFailure.retryable(`attempt ${ctx.attempt} fails`, 'Flaky');
      return { stats: { attempts: ctx.attempt } };
    },
  }) as NodeType<never>;
  const worker = await createPipewrightWorker({
    connection: env.nativeConnection,
    taskQueue: 'backoff',
    nodeTypes: [flaky],
    workflowBundlePath: WORKFLOW_BUNDLE,
  });
  const definition = {
    name: 'backoff',
    nodes: [
      {
        id: 'flaky',
        type: 'flaky',
        params: { failures: 5 },
        retry: { initialInterval: '10s', backoffCoefficient: 3, maximumInterval: '2m', maximumAttempts: 6 },
      },
    ],
  };
  const result = await worker.runUntil(
    env.client.workflow.execute<typeof pipeline>('pipeline', {
      taskQueue: 'backoff',
      workflowId: 'backoff-1',
      args: [{ definition }],
    }),
  );
  expect(result.status.nodes[0]).toMatchObject({ state: 'succeeded', attempts: 6 });
  const gaps = startedAt.slice(1).map((t, i) => (t - (startedAt[i] ?? 0)) / 1000);
  // 10, 30, 90, then capped at 120, 120 (seconds); the server may add up to a second of dispatch.
  const expected = [10, 30, 90, 120, 120];
  expect(gaps).toHaveLength(expected.length);
  gaps.forEach((gap, i) => {
    expect(gap).toBeGreaterThanOrEqual(expected[i]!);
    expect(gap).toBeLessThan(expected[i]! + 2);
  });
});
