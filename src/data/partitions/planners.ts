/**
 * The partition planners by form, and how a partition's activity finds its own partition again: it lists the node's
 * partitions anew and checks the listing against the fingerprint the workflow planned with.
 */
import { partitionForm } from '../../model/partitions';
import { InputFileError } from '../errors';
import { PartitionListingChangedError } from './errors';
import { globPlanner } from './file-glob';
import type {
  PartitionInContext,
  PartitionPlan,
  PartitionPlanner,
  PartitionRef,
  PlannedNode,
  PlannerServices,
} from './types';

const PLANNERS: ReadonlyMap<string, PartitionPlanner> = new Map(
  [globPlanner as PartitionPlanner].map((p) => [p.kind, p]),
);

/** The planner of a node's form, or undefined for a node that is not partitioned. */
export function plannerFor(node: { type: string; params: Record<string, unknown> }): PartitionPlanner | undefined {
  const kind = partitionForm(node);
  return kind === undefined ? undefined : PLANNERS.get(kind);
}

/** Lists a partitioned node's partitions; fails for a node that is not partitioned. */
export async function planPartitions(
  node: PlannedNode<Record<string, unknown>>,
  services: PlannerServices = {},
): Promise<PartitionPlan & { kind: string }> {
  const planner = plannerFor(node);
  if (!planner)
    throw new InputFileError(node.nodeId, String(node.params.path ?? ''), 'is not partitioned (no glob, no split)');
  return { kind: planner.kind, ...(await planner.plan(node, services)) };
}

/**
 * The partition `ref` names, from a fresh listing. A listing whose fingerprint or count differs from the one planned
 * with fails (non-retryably): the partitions' indexes would no longer name the same input.
 */
export async function findPartition(
  node: PlannedNode<Record<string, unknown>>,
  ref: PartitionRef,
  services: PlannerServices = {},
): Promise<PartitionInContext> {
  const plan = await planPartitions(node, services);
  const descriptor = plan.partitions[ref.index];
  if (plan.fingerprint !== ref.fingerprint || plan.partitions.length !== ref.count || !descriptor)
    throw new PartitionListingChangedError(node.nodeId, ref, plan.partitions.length);
  return { index: ref.index, count: ref.count, descriptor };
}
