/**
 * Jittered retries on the time-skipping test server: the activity layer throws each retryable failure with a
 * nextRetryDelay drawn from [d * (1 - jitter), d], d being the node's exponential delay capped at its maximum
 * interval. The delays observed between attempts are spread (not Temporal's exact ones) and inside those bounds.
 */
import { z } from 'zod';
import { defineNodeType } from '../../src/nodes/node-type';
import type { NodeType } from '../../src/nodes/node-type';
import { createPipewrightWorker } from '../../worker/create-worker';
import type { pipeline } from '../../workflows/pipeline';
import { WORKFLOW_BUNDLE } from '../helpers/paths';
import { useTimeSkippingEnv } from '../helpers/time-skipping';

const testEnv = useTimeSkippingEnv();

const NODES = 4;
const FAILURES = 5;
const JITTER = 0.5;
// 10s, 20s, 40s, then capped at 60s.
const retry = {
  initialInterval: '10s',
  backoffCoefficient: 2,
  maximumInterval: '60s',
  maximumAttempts: 6,
  jitter: JITTER,
};
const exact = [10, 20, 40, 60, 60];

test('retry delays are spread by the jitter and stay inside the policy bounds', async () => {
  const env = testEnv();
  const startedAt = new Map<string, number[]>();
  const flaky = defineNodeType({
    name: 'flaky',
    params: z.object({}),
    run: async (ctx) => {
      const times = startedAt.get(ctx.nodeId) ?? [];
      times.push(await env.currentTimeMs());
      startedAt.set(ctx.nodeId, times);
      if (ctx.attempt <= FAILURES)
        throw Object.assign(new Error(`attempt ${ctx.attempt}: connection refused`), { code: 'ECONNREFUSED' });
      return { stats: { attempts: ctx.attempt } };
    },
  }) as NodeType<never>;
  const worker = await createPipewrightWorker({
    connection: env.nativeConnection,
    taskQueue: 'jitter',
    nodeTypes: [flaky],
    workflowBundlePath: WORKFLOW_BUNDLE,
  });
  const definition = {
    name: 'jitter',
    nodes: Array.from({ length: NODES }, (_, i) => ({ id: `flaky${i}`, type: 'flaky', retry })),
  };
  const result = await worker.runUntil(
    env.client.workflow.execute<typeof pipeline>('pipeline', {
      taskQueue: 'jitter',
      workflowId: 'jitter-1',
      args: [{ definition }],
    }),
  );
  expect(result.status.nodes.map((n) => [n.state, n.attempts])).toEqual(
    Array.from({ length: NODES }, () => ['succeeded', FAILURES + 1]),
  );

  const ratios: number[] = [];
  for (const times of startedAt.values()) {
    const gaps = times.slice(1).map((t, i) => (t - (times[i] ?? 0)) / 1000);
    expect(gaps).toHaveLength(exact.length);
    gaps.forEach((gap, i) => {
      const d = exact[i]!;
      // Inside [d * (1 - jitter), d]; the server may add up to a second of dispatch.
      expect(gap).toBeGreaterThanOrEqual(d * (1 - JITTER) - 0.001);
      expect(gap).toBeLessThan(d + 1);
      ratios.push(gap / d);
    });
  }
  // Spread: the same delay would give the same ratio every time. With 20 draws from [0.5, 1], all of them
  // landing in one tenth of the range has a chance of about 1e-19.
  expect(Math.max(...ratios) - Math.min(...ratios)).toBeGreaterThan(0.05);
  expect(ratios.some((r) => r < 0.9)).toBe(true);
});
