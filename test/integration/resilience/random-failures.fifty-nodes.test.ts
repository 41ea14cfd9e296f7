/**
 * Retries under random failure on the real Temporal server: a 50-node pipeline (five layers of ten, each node
 * needing two of the layer before) whose nodes fail 30% of their attempts at random with a connection error,
 * run 20 times at once, with small jittered retry intervals. Every run completes, every node succeeds once, and
 * the attempts the runs report add up to the attempts the nodes saw.
 */
import { z } from 'zod';
import { defineNodeType, type NodeType } from '../../../src/nodes/node-type';
import type { PipelineResult } from '../../../src/engine/run-input';
import { startPipeline } from '../../helpers/runs';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';

const FAILURE_RATE = 0.3;
const RUNS = 20;
const LAYERS = 5;
const WIDTH = 10;

let attempts = 0;
let failures = 0;
const coin = defineNodeType({
  name: 'coin',
  params: z.object({}).strict(),
  run: async () => {
    attempts++;
    if (Math.random() < FAILURE_RATE) {
      failures++;
      throw Object.assign(new Error('connection reset by peer (simulated)'), { code: 'ECONNRESET' });
    }
    return { stats: {} };
  },
}) as NodeType<never>;

const definition = {
  name: 'coin-flips',
  defaults: {
    parallelism: 10,
    // P(a node fails 20 attempts in a row) = 0.3^20, about 3.5e-11.
    retry: {
      initialInterval: '20ms',
      backoffCoefficient: 2,
      maximumInterval: '200ms',
      maximumAttempts: 20,
      jitter: 0.5,
    },
  },
  nodes: Array.from({ length: LAYERS * WIDTH }, (_, i) => {
    const layer = Math.floor(i / WIDTH);
    const k = i % WIDTH;
    const needs = layer === 0 ? [] : [`n${layer - 1}_${k}`, `n${layer - 1}_${(k + 1) % WIDTH}`];
    return { id: `n${layer}_${k}`, type: 'coin', needs };
  }),
};

let h: TemporalHarness;
beforeAll(async () => {
  h = await connectHarness('coin-flips');
  await h.startWorker([coin]);
});
afterAll(() => h?.close());

test(`a 50-node pipeline failing ${FAILURE_RATE * 100}% of attempts at random completes in all ${RUNS} runs`, async () => {
  const handles = await Promise.all(
    Array.from({ length: RUNS }, () => startPipeline(h.client, h.taskQueue, definition)),
  );
  const results = (await Promise.all(handles.map((x) => x.result()))) as PipelineResult[];
  for (const r of results) {
    expect(r.status.state).toBe('completed');
    expect(r.status.counts.succeeded).toBe(LAYERS * WIDTH);
  }
  const reported = results.flatMap((r) => r.status.nodes.map((n) => n.attempts)).reduce((a, b) => a + b, 0);
  expect(attempts).toBe(reported);
  // 1000 nodes at 30%: about 430 failed attempts; far fewer would mean the node did not fail as it should.
  expect(failures).toBeGreaterThan(250);
  expect(attempts - failures).toBe(RUNS * LAYERS * WIDTH);
}, 180_000);
