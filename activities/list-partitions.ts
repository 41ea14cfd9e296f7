/**
 * The `listPartitions` activity: lists a partitioned node's partitions (the files of a glob, ...) and returns only
 * their count and the listing's fingerprint; each partition's activity finds its own partition again from both.
 */
import type { ListPartitionsInput, ListPartitionsResult } from '../src/data/partitions/types';
import { planPartitions } from '../src/data/partitions/planners';
import type { DataServices } from '../src/data/services';
import type { NodeTypes } from '../src/nodes/node-types';
import { asNodeFailure } from './node-failure';
import { resolveNode } from './run-node';

export function createListPartitions(deps: {
  readonly nodeTypes: NodeTypes;
  readonly data: DataServices;
  readonly taskQueue?: string;
}): (input: ListPartitionsInput) => Promise<ListPartitionsResult> {
  return async function listPartitions(input) {
    const details = { attempt: 1, nodeId: input.node.id };
    try {
      const { params } = resolveNode(deps, input.node, details);
      const plan = await planPartitions(
        { nodeId: input.node.id, type: input.node.type, params: params as Record<string, unknown> },
        { data: deps.data },
      );
      return { kind: plan.kind, count: plan.partitions.length, fingerprint: plan.fingerprint };
    } catch (err) {
      throw asNodeFailure(err, details);
    }
  };
}
