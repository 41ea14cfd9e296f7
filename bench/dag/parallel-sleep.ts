/**
 * (a) Six independent 200 ms sleep nodes at parallelism 6: the critical path is 200 ms, so wall time over 200 ms is
 * what the interpreter, Temporal and the node's own bookkeeping add to a fan-out. The hand-written workflow runs the
 * same six activities, interleaved with the interpreter, to show how much of the overhead is Temporal's own; an empty
 * workflow shows the fixed cost of a run before any activity.
 */
import type { BenchEnv } from './env';
import type { RunPhases } from './history-phases';
import { runPhases } from './history-phases';
import { handWrittenInput } from './noop-overhead';
import { timedRun } from './run-workflow';
import { parallelSleeps } from './shapes';

/** Measured ratios and, per run, where the time went. */
export interface ParallelSleepResult {
  readonly criticalPathMs: number;
  readonly wallMs: readonly number[];
  readonly ratios: readonly number[];
  readonly phases: readonly RunPhases[];
  /** The hand-written workflow's wall times for the same fan-out. */
  readonly baselineMs: readonly number[];
  /** Start to result of a workflow that returns at once, measured between the same runs. */
  readonly emptyMs: readonly number[];
}

/** Runs `warmups` unmeasured then `runs` measured fan-outs of `width` sleeps of `sleepMs`, alternating workflows. */
export async function benchParallelSleep(
  env: BenchEnv,
  { width = 6, sleepMs = 200, runs = 10, warmups = 2 } = {},
): Promise<ParallelSleepResult> {
  const definition = parallelSleeps(width, sleepMs);
  const baselineInput = handWrittenInput(definition);
  const wallMs: number[] = [];
  const baselineMs: number[] = [];
  const emptyMs: number[] = [];
  const phases: RunPhases[] = [];
  for (let i = 0; i < warmups + runs; i++) {
    const empty = await timedRun(env.client, env.taskQueue, 'emptyWorkflow', undefined, 30_000);
    if (i >= warmups) emptyMs.push(empty.ms);
    const interpreterFirst = i % 2 === 0;
    for (const interpreter of interpreterFirst ? [true, false] : [false, true]) {
      const run = interpreter
        ? await timedRun(env.client, env.taskQueue, 'pipeline', { definition }, 30_000)
        : await timedRun(env.client, env.taskQueue, 'handWrittenDag', baselineInput, 30_000);
      if (i < warmups) continue;
      if (!interpreter) {
        baselineMs.push(run.ms);
        continue;
      }
      wallMs.push(run.ms);
      // After the clock stopped: reading history must not add to the measured time.
      phases.push(runPhases(await run.handle.fetchHistory()));
    }
  }
  return { criticalPathMs: sleepMs, wallMs, ratios: wallMs.map((ms) => ms / sleepMs), phases, baselineMs, emptyMs };
}
