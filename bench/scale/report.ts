/**
 * The scale benchmark's tables. Every ratio reads the same way: 1.0 is level with the hand-written workflow, above is
 * better (throughput: pipewright over hand-written; latency: hand-written over pipewright).
 */
import { median, percentile } from '../dag/stats';
import type { BurstResult } from './burst';
import type { PauseManyResult } from './pause-many';
import type { RampResult } from './ramp';
import type { ResourceUse } from './resources';

const f0 = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : '-');
const f1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '-');
const f2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '-');
const pcts = (xs: readonly number[]): string =>
  `${f0(percentile(xs, 50))} / ${f0(percentile(xs, 95))} / ${f0(percentile(xs, 99))}`;
const use = (r: ResourceUse): string[] => [f2(r.workerCores), f0(r.workerPeakRssMiB), f2(r.serverCores)];

export const BURST_HEADER = [
  'scenario',
  'workflow',
  'runs',
  'runs/s',
  'nodes/s',
  'latency p50 / p95 / p99 ms',
  'success',
  'worker cores',
  'worker RSS MiB',
  'server cores',
  'ratio (nodes/s; range by round)',
];

const nodesPerS = (b: BurstResult): number => ((b.runs - b.failed) * b.nodesPerRun) / (b.wallMs / 1000);

/** The round with the median throughput (the upper middle one for an even count). */
function medianRound(rounds: readonly BurstResult[]): BurstResult {
  const sorted = [...rounds].sort((a, b) => nodesPerS(a) - nodesPerS(b));
  return sorted[Math.floor(sorted.length / 2)] as BurstResult;
}

/**
 * Two rows per scenario: pipewright, then the hand-written workflow, each its median round of `pw` and `hand` (round
 * i of one ran next to round i of the other). The ratio is the median of the rounds' ratios, with their range.
 */
export function burstRows(scenario: string, pw: readonly BurstResult[], hand: readonly BurstResult[]): string[][] {
  const row = (b: BurstResult, ratio: string): string[] => [
    scenario,
    b.label,
    String(b.runs),
    f1((b.runs - b.failed) / (b.wallMs / 1000)),
    f0(nodesPerS(b)),
    pcts(b.latencyMs),
    `${f1((100 * (b.runs - b.failed)) / b.runs)}%`,
    ...use(b.resources),
    ratio,
  ];
  const ratios = pw.map((p, i) => nodesPerS(p) / nodesPerS(hand[i] as BurstResult));
  const range = ratios.length > 1 ? ` (${f2(Math.min(...ratios))} to ${f2(Math.max(...ratios))})` : '';
  return [row(medianRound(pw), `${f2(median(ratios))}${range}`), row(medianRound(hand), '')];
}

export const PAUSE_HEADER = [
  'scenario',
  'workflow',
  'runs',
  'pause ack p50 / p95 / p99 ms',
  'resume ack p50 / p95 / p99 ms',
  'wrong',
  'worker cores',
  'worker RSS MiB',
  'server cores',
  'ratio (p95 pause ack)',
];

export function pauseRows(pw: PauseManyResult, hand: PauseManyResult): string[][] {
  const row = (p: PauseManyResult, ratio: string): string[] => [
    `${p.runs} runs paused (${p.mode}) and resumed`,
    p.label,
    String(p.runs),
    pcts(p.pauseAckMs),
    pcts(p.resumeAckMs),
    String(p.wrong),
    ...use(p.resources),
    ratio,
  ];
  return [row(pw, f2(percentile(hand.pauseAckMs, 95) / percentile(pw.pauseAckMs, 95))), row(hand, '')];
}

export const RAMP_HEADER = ['leg', 'workflow', 'runs started', 'latency p50 / p95 / p99 ms', 'failed', 'ratio (p95)'];

export function rampRows(pw: RampResult, hand: RampResult): string[][] {
  const rows: string[][] = [];
  pw.legs.forEach((leg, i) => {
    const other = hand.legs[i];
    const ratio = other ? percentile(other.latencyMs, 95) / percentile(leg.latencyMs, 95) : Number.NaN;
    rows.push([leg.name, pw.label, String(leg.started), pcts(leg.latencyMs), String(leg.failed), f2(ratio)]);
    if (other)
      rows.push([other.name, hand.label, String(other.started), pcts(other.latencyMs), String(other.failed), '']);
  });
  return rows;
}

/** The ramp's totals: completed nodes per second over the whole ramp, and resources. */
export function rampSummary(r: RampResult): string {
  const runs = r.legs.reduce((n, l) => n + l.latencyMs.length, 0);
  const [cores, rss, server] = use(r.resources);
  return `${r.label}: ${runs} runs in ${f1(r.wallMs / 1000)} s, ${f0((runs * r.nodesPerRun) / (r.wallMs / 1000))} nodes/s; worker ${cores} cores, ${rss} MiB peak RSS; server ${server} cores`;
}

/** Workflow-task time per node, median over runs: the interpreter's own cost next to the hand-written one. */
export function wftLine(what: string, pw: readonly BurstResult[], hand: readonly BurstResult[]): string {
  const m = (xs: readonly BurstResult[], k: 'wftPerNodeMs' | 'wftQueuePerNodeMs'): number =>
    median(xs.map((x) => x[k]));
  return `${what}: workflow task per node ${f2(m(pw, 'wftPerNodeMs'))} ms (pipewright) vs ${f2(m(hand, 'wftPerNodeMs'))} ms (hand-written); queued ${f2(m(pw, 'wftQueuePerNodeMs'))} vs ${f2(m(hand, 'wftQueuePerNodeMs'))} ms; run latency ${f0(median(pw.flatMap((x) => x.latencyMs)))} vs ${f0(median(hand.flatMap((x) => x.latencyMs)))} ms`;
}
