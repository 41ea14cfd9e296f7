/**
 * The `listPartitions` activity: lists a partitioned node's partitions (the files of a glob, the byte ranges of a
 * split file, the key ranges of a query) and returns only their count and the listing's fingerprint. A split or a
 * key-range read stores its plan for the partitions to read back; a glob's partitions list the files again.
 * Heartbeats while a planner reports progress (a split file's scan), so a long scan is not taken for a dead worker.
 */
import { Context } from '@temporalio/activity';
import type { ListPartitionsInput, ListPartitionsResult } from '../src/data/partitions/types';
import { listPartitionsFor } from '../src/data/partitions/planners';
import type { DataServices } from '../src/data/services';
import type { NodeTypes } from '../src/nodes/node-types';
import { asNodeFailure } from './node-failure';
import { resolveNode } from './run-node';

/** Most often a scan's progress is heartbeated. */
const HEARTBEAT_EVERY_MS = 1_000;

export function createListPartitions(deps: {
  readonly nodeTypes: NodeTypes;
  readonly data: DataServices;
  readonly taskQueue?: string;
}): (input: ListPartitionsInput) => Promise<ListPartitionsResult> {
  return async function listPartitions(input) {
    const activity = Context.current();
    const details = { attempt: activity.info.attempt, nodeId: input.node.id };
    let last = 0;
    const onProgress = (done: number): void => {
      const now = Date.now();
      if (now - last < HEARTBEAT_EVERY_MS) return;
      last = now;
      activity.heartbeat({ scanned: done });
    };
    try {
      const { params } = resolveNode(deps, input.node, details);
      return await listPartitionsFor(
        { nodeId: input.node.id, type: input.node.type, params: params as Record<string, unknown> },
        { workflowId: input.workflowId, runId: input.runId },
        { data: deps.data, signal: activity.cancellationSignal, onProgress },
      );
    } catch (err) {
      throw asNodeFailure(err, details);
    }
  };
}
