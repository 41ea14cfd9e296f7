/**
 * Load scenarios on one Temporal dev server and one in-process worker, each next to a hand-written Temporal workflow
 * of the same shape running the same activities in the same run:
 *   - bursts: 10-node linear runs, 100 and 300 started at once; 50-node branching runs, 100 at once; 10-node linear
 *     runs where 30% of node attempts fail at random and are retried;
 *   - 500 running runs paused (drain, then immediate) and resumed: acknowledgment percentiles;
 *   - a ramp of start rates 0 -> 10 -> 50 runs/s and back;
 *   - a 10-node linear run alone, and the workflow-task time per node read from histories;
 *   - the interpreter's own workflow-task time: recorded histories of both kinds replayed without a server.
 * Each burst scenario runs in rounds (three; one when quick), the two kinds side by side in each round.
 *
 *   npm run bench:scale       (PIPEWRIGHT_BENCH_SCALE=quick: a tenth of the runs; PIPEWRIGHT_TEMPORAL_BIN as bench:dag)
 *
 * What the figures mean and the latest results: docs/benchmarks.md and docs/scaling-out.md.
 */
import { resolveProjectPath } from '../src/platform/devserver';
import { startBenchEnv, type BenchEnv } from './dag/env';
import { describeMachine } from './dag/machine';
import { markdownTable } from './dag/table';
import { withTimeout } from './dag/timeout';
import { alone, burst, type BurstResult } from './scale/burst';
import { kindsOf, type WorkflowKind } from './scale/kinds';
import { pauseMany } from './scale/pause-many';
import { ramp } from './scale/ramp';
import { replayCost, replayLines, type RecordedRun } from './scale/replay-cost';
import {
  BURST_HEADER,
  burstRows,
  PAUSE_HEADER,
  pauseRows,
  RAMP_HEADER,
  rampRows,
  rampSummary,
  wftLine,
} from './scale/report';
import { attemptsOf, branchingNoops, flakyLinear, linearNoops, seededRandom } from './scale/shapes';

const TEMPORAL_BIN = resolveProjectPath(process.env.PIPEWRIGHT_TEMPORAL_BIN ?? '.tools/bin/temporal');
const QUICK = process.env.PIPEWRIGHT_BENCH_SCALE === 'quick';
const scale = (n: number): number => (QUICK ? Math.max(10, Math.round(n / 10)) : n);
const TOTAL_BUDGET_MS = 35 * 60_000;
const ROUNDS = QUICK ? 1 : 3;
const t0 = Date.now();
const log = (line: string): void => console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${line}`);

/** `ROUNDS` rounds of both kinds of one burst, the order alternating so neither always runs on a warmer server. */
async function both(
  env: BenchEnv,
  kinds: readonly [WorkflowKind, WorkflowKind],
  count: number,
  first: 0 | 1,
): Promise<[BurstResult[], BurstResult[]]> {
  const results: [BurstResult[], BurstResult[]] = [[], []];
  for (let round = 0; round < ROUNDS; round++)
    for (const k of (first + round) % 2 === 0 ? [0, 1] : [1, 0])
      results[k as 0 | 1].push(await burst(env, kinds[k] as WorkflowKind, count, 600_000));
  return results;
}

/** One run of each kind and shape alone, recorded for replaying. */
async function record(env: BenchEnv, shape: string, kinds: readonly WorkflowKind[]): Promise<RecordedRun[]> {
  const recorded: RecordedRun[] = [];
  for (const kind of kinds) {
    const { history } = await burst(env, kind, 1, 60_000);
    if (!history) throw new Error(`the ${kind.label} ${shape} run recorded no history`);
    recorded.push({ shape, label: kind.label, nodes: kind.nodes, history });
  }
  return recorded;
}

async function run(env: BenchEnv): Promise<void> {
  const linear = kindsOf(() => linearNoops(10));
  const branching = kindsOf(() => branchingNoops());
  const flakyDefs = Array.from({ length: scale(100) }, (_, i) => flakyLinear(10, 0.3, seededRandom(1000 + i)));
  const flaky = kindsOf((i) => flakyDefs[i % flakyDefs.length] as never);
  const failedAttempts = flakyDefs
    .map(attemptsOf)
    .reduce((a, b) => ({ attempts: a.attempts + b.attempts, failed: a.failed + b.failed }));

  for (const k of linear) await burst(env, k, 10, 60_000);
  log('warmed up');
  const alonePw = await alone(env, linear[0], 5);
  const aloneHand = await alone(env, linear[1], 5);
  log('alone done');

  const rows: string[][] = [];
  const wft: string[] = [wftLine('10-node linear, one run alone', alonePw, aloneHand)];
  const scenarios: Array<[string, readonly [WorkflowKind, WorkflowKind], number]> = [
    ['10-node linear', linear, scale(100)],
    ['10-node linear', linear, scale(300)],
    ['50-node branching', branching, scale(100)],
    [
      `10-node linear, ${((100 * failedAttempts.failed) / failedAttempts.attempts).toFixed(0)}% of attempts fail`,
      flaky,
      scale(100),
    ],
  ];
  for (const [i, [name, kinds, count]] of scenarios.entries()) {
    const [pw, hand] = await both(env, kinds, count, (i % 2) as 0 | 1);
    rows.push(...burstRows(`${name}, ${count} at once`, pw, hand));
    wft.push(wftLine(`${name}, ${count} at once`, pw, hand));
    log(`${name} x ${count} done`);
  }

  const pauses: string[][] = [];
  for (const mode of ['drain', 'immediate'] as const) {
    const pw = await pauseMany(env, 'pipewright', scale(500), mode);
    const hand = await pauseMany(env, 'hand-written', scale(500), mode);
    pauses.push(...pauseRows(pw, hand));
    log(`pause ${mode} done`);
  }

  const short = kindsOf(() => linearNoops(5));
  const rampPw = await ramp(env, short[0], QUICK ? 2 : 5);
  const rampHand = await ramp(env, short[1], QUICK ? 2 : 5);
  log('ramp done');

  const recorded = [
    ...(await record(env, '10-node linear', linear)),
    ...(await record(env, '50-node branching', branching)),
  ];
  const replayed = await replayCost(recorded, QUICK ? { rounds: 3, perRound: 10 } : { rounds: 15, perRound: 40 });
  log('replay done');

  console.log();
  console.log(markdownTable(BURST_HEADER, rows));
  console.log();
  console.log(markdownTable(PAUSE_HEADER, pauses));
  console.log();
  console.log('Ramp of 5-node linear runs (start rate rising and falling linearly over each leg):');
  console.log(markdownTable(RAMP_HEADER, rampRows(rampPw, rampHand)));
  console.log(`  ${rampSummary(rampPw)}`);
  console.log(`  ${rampSummary(rampHand)}`);
  console.log();
  console.log('Workflow-task time per node (from histories; medians):');
  for (const line of wft) console.log(`  ${line}`);
  console.log();
  console.log("The interpreter's own workflow-task time (recorded runs replayed without a server; min over rounds):");
  for (const line of replayLines(replayed)) console.log(`  ${line}`);
}

async function main(): Promise<void> {
  for (const line of describeMachine(TEMPORAL_BIN)) console.log(line);
  // ERROR: the flaky scenario's failed attempts would each log a warning.
  const env = await startBenchEnv(TEMPORAL_BIN, { maxConcurrentActivities: 1_000, logLevel: 'ERROR' });
  log(`dev server ${env.server.address}, worker on task queue ${env.taskQueue}${QUICK ? ' (quick)' : ''}`);
  try {
    await withTimeout(run(env), TOTAL_BUDGET_MS, 'bench:scale');
  } finally {
    await env.close();
  }
  log('total');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
