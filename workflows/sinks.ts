/**
 * Sinks the workflow calls to report run outcomes to the worker's metrics. Sink calls create no commands, so
 * they do not affect determinism; the worker registers them with `callDuringReplay: false`.
 */
import type { Sinks } from '@temporalio/workflow';

export interface RunEndedEvent {
  readonly pipeline: string;
  readonly outcome: 'completed' | 'failed' | 'cancelled';
  readonly durationMs: number;
}

export interface PipelineSinks extends Sinks {
  pipelineMetrics: {
    runEnded(event: RunEndedEvent): void;
  };
}
