/**
 * The partition planners by form, and how a partition's activity finds its own partition again: a glob's it lists
 * anew and checks against the fingerprint the workflow planned with; a stored plan's (byte ranges, key ranges) it
 * reads from the plan the run's listing stored.
 */
import { partitionForm } from '../../model/partitions';
import { InputFileError } from '../errors';
import type { DataServices } from '../services';
import { PartitionListingChangedError, PartitionPlanMissingError } from './errors';
import { globPlanner } from './file-glob';
import { loadPartition, savePlan } from './plan-store';
import { byteRangePlanner, keyRangePlanner } from './stored-planners';
import type { PartitionInContext, PartitionPlanner, PartitionRef, PlannedNode, PlannerServices } from './types';

const PLANNERS: ReadonlyMap<string, PartitionPlanner> = new Map(
  [globPlanner, byteRangePlanner, keyRangePlanner].map((p) => [p.kind, p as PartitionPlanner]),
);

/** The planner of a node's form, or undefined for a node that is not partitioned. */
export function plannerFor(node: { type: string; params: Record<string, unknown> }): PartitionPlanner | undefined {
  const kind = partitionForm(node);
  return kind === undefined ? undefined : PLANNERS.get(kind);
}

function plannerOf(node: PlannedNode<Record<string, unknown>>): PartitionPlanner {
  const planner = plannerFor(node);
  if (!planner)
    throw new InputFileError(node.nodeId, String(node.params.path ?? ''), 'is not partitioned (no glob, no split)');
  return planner;
}

/** The run a plan belongs to: its workflow id and first run id. */
export interface PlanRun {
  readonly workflowId: string;
  readonly runId: string;
}

/** Lists a node's partitions for a run and, for a planner whose plans are stored, stores the plan (idempotently). */
export async function listPartitionsFor(
  node: PlannedNode<Record<string, unknown>>,
  run: PlanRun,
  services: PlannerServices & { readonly data: DataServices },
): Promise<{ kind: string; count: number; fingerprint: string }> {
  const planner = plannerOf(node);
  const plan = await planner.plan(node, services);
  if (planner.stored) {
    const pool = services.data.pool();
    await services.data.ready(pool);
    const key = { ...run, nodeId: node.nodeId, fingerprint: plan.fingerprint };
    await savePlan(pool, services.data.projectSchema, key, plan.partitions);
  }
  return { kind: planner.kind, count: plan.partitions.length, fingerprint: plan.fingerprint };
}

/**
 * The partition `ref` names. A glob's from a fresh listing: a listing whose fingerprint or count differs from the one
 * planned with fails (non-retryably), as the partitions' indexes would no longer name the same input. A stored
 * plan's from the plan the run's listing stored; a plan no longer stored fails (non-retryably).
 */
export async function findPartition(
  node: PlannedNode<Record<string, unknown>>,
  ref: PartitionRef,
  services: PlannerServices & { readonly data?: DataServices; readonly run?: PlanRun } = {},
): Promise<PartitionInContext> {
  const planner = plannerOf(node);
  if (planner.stored) {
    if (!services.data || !services.run)
      throw new Error(`node "${node.nodeId}": reading its partition needs the run and the worker's data services`);
    const pool = services.data.pool();
    await services.data.ready(pool);
    const key = { ...services.run, nodeId: node.nodeId, fingerprint: ref.fingerprint };
    const descriptor = await loadPartition(pool, services.data.projectSchema, key, ref.index);
    if (!descriptor) throw new PartitionPlanMissingError(node.nodeId, ref);
    return { index: ref.index, count: ref.count, fingerprint: ref.fingerprint, descriptor };
  }
  const plan = await planner.plan(node, services);
  const descriptor = plan.partitions[ref.index];
  if (plan.fingerprint !== ref.fingerprint || plan.partitions.length !== ref.count || !descriptor)
    throw new PartitionListingChangedError(node.nodeId, ref, plan.partitions.length);
  return { index: ref.index, count: ref.count, fingerprint: ref.fingerprint, descriptor };
}
