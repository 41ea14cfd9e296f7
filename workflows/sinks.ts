/**
 * Sinks the workflow calls to report run outcomes to the worker's metrics. Sink calls create no commands, so
 * they do not affect determinism; the worker registers them with `callDuringReplay: false`.
 */
import type { Sinks } from '@temporalio/workflow';
import { RunState } from '../src/model/state';

/** How a run ends, as `pipewright_pipeline_runs_total` labels it. */
export const RUN_OUTCOMES = [RunState.completed, RunState.failed, RunState.cancelled] as const;

export interface RunEndedEvent {
  readonly pipeline: string;
  readonly outcome: (typeof RUN_OUTCOMES)[number];
  readonly durationMs: number;
}

export interface PipelineSinks extends Sinks {
  pipelineMetrics: {
    runEnded(event: RunEndedEvent): void;
  };
}
