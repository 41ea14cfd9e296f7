/**
 * The interpreter's own workflow-task time, from histories: runs this benchmark recorded (one of each kind and shape,
 * run alone) are replayed many times by a replay worker, with no server and no activities, so only workflow code
 * runs: every workflow task of the run, as the worker ran it. pipewright replays from its own bundle (`workflows/`);
 * the hand-written workflow from a bundle of its own (`bench/dag/baseline-workflow.ts`), as each would be deployed.
 * pipewright's time per node above the hand-written workflow's is the interpreter's cost per node. Rounds alternate
 * the kinds; the least disturbed round (the minimum) is reported, with the median.
 */
import type { History } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker, type InjectedSinks } from '@temporalio/worker';
import { median } from '../dag/stats';
import type { PipelineSinks } from '../../workflows/sinks';

export interface RecordedRun {
  readonly shape: string;
  readonly label: 'pipewright' | 'hand-written';
  readonly nodes: number;
  readonly history: History;
}

export interface ReplayCost {
  readonly shape: string;
  readonly label: RecordedRun['label'];
  readonly nodes: number;
  /** Wall time per replayed run, one figure per round (the median run of the round), ms. */
  readonly msPerRun: readonly number[];
}

const quiet = { trace() {}, debug() {}, info() {}, log() {}, warn: console.warn, error: console.error };
/** The worker's metrics sink, doing nothing: replay calls it as the worker did. */
const noSinks: InjectedSinks<PipelineSinks> = { pipelineMetrics: { runEnded: { fn() {} } } };

/** Replays each recorded run `perRound` times per round, for `rounds` rounds after a warm-up round. */
export async function replayCost(
  recorded: readonly RecordedRun[],
  { rounds, perRound }: { rounds: number; perRound: number },
): Promise<ReplayCost[]> {
  const bundle = async (entry: string): Promise<string> =>
    (await bundleWorkflowCode({ workflowsPath: require.resolve(entry), logger: quiet })).code;
  const code = {
    pipewright: await bundle('../../workflows'),
    'hand-written': await bundle('../dag/baseline-workflow'),
  };
  const ms = recorded.map(() => [] as number[]);
  for (let round = 0; round <= rounds; round++) {
    for (let k = 0; k < recorded.length; k++) {
      const i = (k + round) % recorded.length;
      const run = recorded[i] as RecordedRun;
      const count = (round === 0 ? Math.min(5, perRound) : perRound) + 1;
      const histories = Array.from({ length: count }, (_, j) => ({
        workflowId: `replay-${run.shape}-${run.label}-${round}-${j}`,
        history: run.history,
      }));
      // One replay worker per round; each run's time is the gap between two results (the first, which includes
      // the worker's start, is not counted), and the round's figure is their median.
      const gaps: number[] = [];
      let last = performance.now();
      for await (const result of Worker.runReplayHistories(
        { workflowBundle: { code: code[run.label] }, sinks: noSinks },
        histories,
      )) {
        if (result.error) throw new Error(`replaying ${run.label} ${run.shape}: ${String(result.error)}`);
        const now = performance.now();
        gaps.push(now - last);
        last = now;
      }
      if (round > 0) (ms[i] as number[]).push(median(gaps.slice(1)));
    }
  }
  return recorded.map((r, i) => ({ shape: r.shape, label: r.label, nodes: r.nodes, msPerRun: ms[i] as number[] }));
}

/** `shape`: pipewright x ms per node (min; median y) vs hand-written ...; the interpreter's own cost per node. */
export function replayLines(costs: readonly ReplayCost[]): string[] {
  const lines: string[] = [];
  for (const shape of [...new Set(costs.map((c) => c.shape))]) {
    const of = (label: RecordedRun['label']): ReplayCost | undefined =>
      costs.find((c) => c.shape === shape && c.label === label);
    const pw = of('pipewright');
    const hand = of('hand-written');
    if (!pw || !hand) continue;
    const perNode = (c: ReplayCost, at: (xs: number[]) => number): number => at([...c.msPerRun]) / c.nodes;
    const min = (xs: number[]): number => Math.min(...xs);
    const own = perNode(pw, min) - perNode(hand, min);
    lines.push(
      `${shape}: ${perNode(pw, min).toFixed(3)} ms per node (median ${perNode(pw, median).toFixed(3)}) pipewright vs ` +
        `${perNode(hand, min).toFixed(3)} (median ${perNode(hand, median).toFixed(3)}) hand-written: ` +
        `the interpreter's own ${own.toFixed(3)} ms per node, ${(perNode(pw, min) / perNode(hand, min)).toFixed(2)}x`,
    );
  }
  return lines;
}
