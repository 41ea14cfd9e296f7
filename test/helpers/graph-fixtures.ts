/** Definitions and a finished run to draw, for the tests of the pictures. */
import path from 'node:path';
import { loadDefinitionFile } from '../../src/client/definition-file';
import type { PipelineDefinition } from '../../src/model/schema';
import type { NodeStatus, RunStatus } from '../../src/model/state';
import { validateDefinition } from '../../src/model/validate';
import { ROOT } from './paths';
import { STATUS_T0, nodeStatus, runStatus } from './run-status';

export function validDefinition(definition: unknown): PipelineDefinition {
  const r = validateDefinition(definition);
  if (!r.ok) throw new Error(`fixture invalid: ${JSON.stringify(r.problems)}`);
  return r.definition;
}

export const fanout = (): PipelineDefinition =>
  validDefinition(loadDefinitionFile(path.join(ROOT, 'examples', 'fanout.yaml')));

/** Two fused chains (airports -> us-airports, shares -> load) and two nodes on their own. */
export const chained = (): PipelineDefinition =>
  validDefinition(loadDefinitionFile(path.join(ROOT, 'examples', 'airports-routes.yaml')));

const at = (ms: number): string => new Date(Date.parse(STATUS_T0) + ms).toISOString();

const part = (i: number, over: Partial<NodeStatus> = {}): NodeStatus =>
  nodeStatus(`part-${i}`, {
    needs: ['extract'],
    state: 'succeeded',
    attempts: 1,
    executions: 1,
    startedAt: at(300),
    endedAt: at(300 + i * 100),
    ...over,
  });

export const FAILED_PART_4 = 'flaky partition <b>"4"</b> & more: a long message that goes on and on';

/** A failed run of fanout: part-4 failed after 4 attempts, join skipped, extract read 1,200 rows in 300 ms. */
export const failedFanoutRun = (): RunStatus =>
  runStatus(
    [
      nodeStatus('extract', {
        state: 'succeeded',
        attempts: 1,
        executions: 1,
        startedAt: at(0),
        endedAt: at(300),
        output: { stats: { rows: 1_200 } },
      }),
      ...[1, 2, 3].map((i) => part(i)),
      part(4, {
        type: 'fail',
        state: 'failed',
        attempts: 4,
        endedAt: at(2_300),
        error: { type: 'Error', message: FAILED_PART_4, nonRetryable: false },
      }),
      ...[5, 6].map((i) => part(i)),
      nodeStatus('join', {
        type: 'noop',
        needs: ['part-1', 'part-2', 'part-3', 'part-4', 'part-5', 'part-6'],
        state: 'skipped',
      }),
    ],
    { pipeline: { name: 'fanout-demo', version: '1' }, state: 'failed', endedAt: at(2_300) },
  );
