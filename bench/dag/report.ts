/** Turns the three benchmarks' samples into the one results table and the latency breakdown printed under it. */
import type { RunPhases } from './history-phases';
import type { NoopOverheadResult } from './noop-overhead';
import type { ParallelSleepResult } from './parallel-sleep';
import type { PauseImmediateResult } from './pause-immediate';
import type { PauseLatencyResult } from './pause-latency';
import { median, percentile } from './stats';

/** Column names of {@link resultRows}. */
export const RESULT_HEADER = ['benchmark', 'figure', 'measured', 'baseline (same run)', 'ratio', 'target', 'met'];

const ms = (v: number): string => `${v.toFixed(1)} ms`;
const x = (v: number): string => v.toFixed(3);
const met = (ok: boolean): string => (ok ? 'yes' : 'NO');

/** One row per figure: the measurement, its baseline, their ratio and the target it is held to. */
export function resultRows(
  a: ParallelSleepResult,
  b: NoopOverheadResult,
  c: PauseLatencyResult,
  d: PauseImmediateResult,
): string[][] {
  const crit = `${a.criticalPathMs} ms critical path`;
  const aMed = median(a.ratios);
  const aP95 = percentile(a.ratios, 95);
  const bRatio = median(b.interpreterMs) / median(b.baselineMs);
  const [c50, c95, cMax] = [percentile(c.ackMs, 50), percentile(c.ackMs, 95), Math.max(...c.ackMs)];
  const [q50, q95, qMax] = [percentile(c.queryMs, 50), percentile(c.queryMs, 95), Math.max(...c.queryMs)];
  const aName = `a. 6 x 200 ms sleep, parallelism 6 (${a.ratios.length} runs)`;
  const bName = `b. 200 noop, 20 layers x 10 (${b.interpreterMs.length} + ${b.baselineMs.length} runs)`;
  const cName = `c. pause (drain) ack via setPaused (${c.ackMs.length} runs)`;
  return [
    [aName, 'wall / critical path, median', ms(median(a.wallMs)), crit, x(aMed), '<= 1.15', met(aMed <= 1.15)],
    [aName, 'wall / critical path, p95', ms(percentile(a.wallMs, 95)), crit, x(aP95), '<= 1.15', met(aP95 <= 1.15)],
    [
      aName,
      'hand-written workflow / critical path, median',
      ms(median(a.baselineMs)),
      crit,
      x(median(a.baselineMs) / a.criticalPathMs),
      '(floor)',
      '-',
    ],
    [
      aName,
      'empty workflow, start to result, median',
      ms(median(a.emptyMs)),
      crit,
      x(median(a.emptyMs) / a.criticalPathMs),
      '(fixed cost)',
      '-',
    ],
    [
      bName,
      'interpreter / hand-written, medians',
      ms(median(b.interpreterMs)),
      `${ms(median(b.baselineMs))} hand-written`,
      x(bRatio),
      '<= 1.10',
      met(bRatio <= 1.1),
    ],
    [cName, 'update round trip, p50', ms(c50), `${ms(q50)} status query`, x(c50 / q50), '-', '-'],
    [cName, 'update round trip, p95', ms(c95), `${ms(q95)} status query`, x(c95 / q95), '< 100 ms', met(c95 < 100)],
    [cName, 'update round trip, max', ms(cMax), `${ms(qMax)} status query`, x(cMax / qMax), '-', '-'],
    ...pauseImmediateRows(d, c50),
  ];
}

/** The heartbeat interval of a node with the default heartbeat timeout: a cancellation waits for the next beat. */
const HEARTBEAT_MS = 1_000;

function pauseImmediateRows(d: PauseImmediateResult, drain50: number): string[][] {
  const name = `d. pause (immediate) while a load runs (${d.ackMs.length} runs)`;
  const floor = `${ms(HEARTBEAT_MS)} heartbeat interval`;
  const [p50, p95, max] = [percentile(d.ackMs, 50), percentile(d.ackMs, 95), Math.max(...d.ackMs)];
  return [
    [name, 'node stopped and checkpointed, p50', ms(p50), floor, x(p50 / HEARTBEAT_MS), '-', '-'],
    [name, 'node stopped and checkpointed, p95', ms(p95), floor, x(p95 / HEARTBEAT_MS), '-', '-'],
    [name, 'node stopped and checkpointed, max', ms(max), floor, x(max / HEARTBEAT_MS), '-', '-'],
    [name, 'over the drain pause (c), p50', ms(p50), `${ms(drain50)} drain`, x(p50 / drain50), '-', '-'],
  ];
}

const phaseLine = (label: string, phases: readonly RunPhases[]): string => {
  const m = (k: keyof RunPhases): string => median(phases.map((p) => p[k])).toFixed(1);
  return (
    `${label}: server ${m('serverMs')} ms; ${m('workflowTasks')} workflow tasks, queued ${m('wftQueueMs')} ms + ` +
    `run ${m('wftRunMs')} ms in total; first activity scheduled after ${m('firstScheduleMs')} ms; ` +
    `activity queued <= ${m('activityQueueMaxMs')} ms, ran <= ${m('activityRunMaxMs')} ms; ` +
    `last completion to close ${m('closeMs')} ms`
  );
};

/** Median per-run phases from the histories, so a missed target points at its cause. */
export function latencyLines(
  a: ParallelSleepResult,
  b: NoopOverheadResult,
  c: PauseLatencyResult,
  d: PauseImmediateResult,
): string[] {
  const lines = [
    phaseLine('a. interpreter', a.phases),
    phaseLine('b. interpreter', b.interpreterPhases),
    phaseLine('b. hand-written', b.baselinePhases),
  ];
  if (c.notPaused > 0) lines.push(`c. ${c.notPaused} pause updates returned a status that was not paused`);
  lines.push(`d. batches committed before the pause, median ${median(d.batchesBefore)} of 1,000-row batches`);
  if (d.wrong > 0) lines.push(`d. ${d.wrong} immediate pauses returned a status with the load not back to pending`);
  return lines;
}
