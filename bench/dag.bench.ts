/**
 * Scheduling overhead of the interpreter, on its own Temporal dev server and an in-process worker:
 *   (a) fan-out of six 200 ms sleeps, wall time over the critical path;
 *   (b) 200 noop nodes, the `pipeline` interpreter over a hand-written workflow of the same shape;
 *   (c) acknowledgment latency of a drain pause through the `setPaused` update;
 *   (d) the same for an immediate pause while a CSV-to-Postgres load runs (the node stopped and checkpointed).
 *
 *   npm run bench:dag        (PIPEWRIGHT_TEMPORAL_BIN overrides .tools/bin/temporal)
 *
 * What each figure means and the latest results: docs/benchmarks.md.
 */
import { resolveProjectPath } from '../src/platform/devserver';
import { startBenchEnv } from './dag/env';
import { describeMachine } from './dag/machine';
import { benchNoopOverhead } from './dag/noop-overhead';
import { benchParallelSleep } from './dag/parallel-sleep';
import { benchPauseImmediate } from './dag/pause-immediate';
import { benchPauseLatency } from './dag/pause-latency';
import { latencyLines, RESULT_HEADER, resultRows } from './dag/report';
import { markdownTable } from './dag/table';
import { withTimeout } from './dag/timeout';

// The bench reads its one setting here rather than through loadConfig(): it needs nothing else from the config.
const TEMPORAL_BIN = resolveProjectPath(process.env.PIPEWRIGHT_TEMPORAL_BIN ?? '.tools/bin/temporal');
const TOTAL_BUDGET_MS = 10 * 60_000;

async function run(): Promise<void> {
  for (const line of describeMachine(TEMPORAL_BIN)) console.log(line);
  const t0 = Date.now();
  const env = await startBenchEnv(TEMPORAL_BIN);
  console.log(
    `dev server ${env.server.address}, worker on task queue ${env.taskQueue} (ready in ${Date.now() - t0} ms)`,
  );
  try {
    const all = (async () => {
      const a = await benchParallelSleep(env);
      console.log(`a. done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      const b = await benchNoopOverhead(env);
      console.log(`b. done in ${((Date.now() - t0) / 1000).toFixed(1)} s (${b.shape})`);
      const c = await benchPauseLatency(env);
      console.log(`c. done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      const d = await benchPauseImmediate(env);
      console.log(`d. done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return { a, b, c, d };
    })();
    const { a, b, c, d } = await withTimeout(all, TOTAL_BUDGET_MS, 'bench:dag');
    console.log();
    console.log(markdownTable(RESULT_HEADER, resultRows(a, b, c, d)));
    console.log();
    console.log('Where the time goes (medians per run, from the histories):');
    for (const line of latencyLines(a, b, c, d)) console.log(`  ${line}`);
  } finally {
    await env.close();
  }
  console.log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

run().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
