/** Node and run statuses as the `status` query returns them, for tests of what clients show; defaults are neutral. */
import { countNodeStates, type NodeStatus, type RunStatus } from '../../src/model/state';

export const STATUS_T0 = '2026-11-22T12:00:00.000Z';

export const nodeStatus = (id: string, over: Partial<NodeStatus> = {}): NodeStatus => ({
  id,
  type: 'sleep',
  needs: [],
  state: 'pending',
  attempts: 0,
  executions: 0,
  ...over,
});

/** A running run of `nodes` (counts derived from them), started at STATUS_T0. */
export function runStatus(nodes: NodeStatus[], over: Partial<RunStatus> = {}): RunStatus {
  return {
    pipeline: { name: 'demo', version: '1' },
    state: 'running',
    paused: false,
    parallelism: 4,
    startedAt: STATUS_T0,
    generation: 1,
    counts: countNodeStates(nodes),
    nodes,
    ...over,
  };
}
